//! Browser storage of user datasets (wasm only): the Cache Storage API (`caches`), which
//! the page and the search worker both reach through their global scope, so the worker
//! reads a stored dataset itself (no megabytes go through messages).
//!
//! Each dataset is five entries under `<origin>/aebnas-user-data/<id>/`: the four IDX
//! parts of [`Stored`] (gzip'd by the browser's `CompressionStream` where it has one) and
//! `meta.json`, written last so a half-written dataset is never listed; plus
//! `supernet.bpk` when the user imported a supernet for it (the meta records it). Everything is
//! called through `js_sys::Reflect`, so no extra `web-sys` features are needed.

use js_sys::{Array, Function, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::browser::describe;
use super::loader::gunzip_yielding;
use super::user_data::{UserMeta, IMPORTED_SUPERNET, PART_FILES};
use crate::data::dataset::Part;
use crate::data::Dataset;

/// The cache this app keeps user datasets in.
pub const CACHE_NAME: &str = "aebnas-user-data-v1";
/// Path prefix of the cache keys (never requested from the network).
const PREFIX: &str = "/aebnas-user-data/";
const META_FILE: &str = "meta.json";

/// Why browser storage of a dataset failed: one sentence for the page.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// No Cache Storage here (an insecure origin, or a browser without it).
    #[error(
        "this browser offers no storage for datasets here (Cache Storage needs https or localhost)"
    )]
    Unavailable,
    /// The cache could not be opened.
    #[error("browser storage could not be opened: {0}")]
    Open(String),
    /// Writing an entry failed (usually the storage quota); nothing was kept.
    #[error("the browser refused to store {file} ({why})")]
    Refused {
        /// The entry (`meta.json` or a part's file name).
        file: &'static str,
        /// The browser's reason.
        why: String,
    },
    /// No dataset (or a part of one) with this id is stored.
    #[error("{0} is not stored in this browser")]
    NotStored(String),
    /// What is stored does not read back as the dataset its meta describes.
    #[error("{0}")]
    Corrupt(String),
    /// Another browser call failed.
    #[error("{0}")]
    Browser(String),
}

impl From<String> for StoreError {
    fn from(why: String) -> Self {
        StoreError::Browser(why)
    }
}

fn get(target: &JsValue, key: &str) -> Result<JsValue, String> {
    Reflect::get(target, &JsValue::from_str(key)).map_err(|e| describe(&e))
}

/// Calls `target.method(...args)`.
fn call(target: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, String> {
    let f: Function = get(target, method)?
        .dyn_into()
        .map_err(|_| format!("{method} is not a function"))?;
    let list: Array = args.iter().collect();
    Reflect::apply(&f, target, &list).map_err(|e| describe(&e))
}

/// Calls `target.method(...args)` and awaits the promise it returns.
async fn call_async(target: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, String> {
    let promise: Promise = call(target, method, args)?
        .dyn_into()
        .map_err(|_| format!("{method} did not return a promise"))?;
    JsFuture::from(promise).await.map_err(|e| describe(&e))
}

/// `new Ctor(...args)` for a constructor on the global scope.
fn construct(ctor: &str, args: &[JsValue]) -> Result<JsValue, String> {
    let f: Function = get(&js_sys::global(), ctor)?
        .dyn_into()
        .map_err(|_| format!("{ctor} is not available"))?;
    let list: Array = args.iter().collect();
    Reflect::construct(&f, &list).map_err(|e| describe(&e))
}

/// The cache key of `file` of dataset `id` (an absolute URL on this origin).
fn url(id: &str, file: &str) -> Result<JsValue, String> {
    let origin = get(&get(&js_sys::global(), "location")?, "origin")?
        .as_string()
        .ok_or("this page has no origin")?;
    Ok(JsValue::from_str(&format!("{origin}{PREFIX}{id}/{file}")))
}

/// Opens this app's cache; a clear error where the browser has no Cache Storage.
async fn open() -> Result<JsValue, StoreError> {
    let caches = get(&js_sys::global(), "caches")?;
    if caches.is_undefined() || caches.is_null() {
        return Err(StoreError::Unavailable);
    }
    call_async(&caches, "open", &[JsValue::from_str(CACHE_NAME)])
        .await
        .map_err(StoreError::Open)
}

/// A gzip'd stream of `bytes` (`CompressionStream`), or `None` where there is none.
fn gzip_stream(bytes: &Uint8Array) -> Option<JsValue> {
    let compressor = construct("CompressionStream", &[JsValue::from_str("gzip")]).ok()?;
    let blob = web_sys::Blob::new_with_u8_array_sequence(&Array::of1(bytes)).ok()?;
    let stream = call(&blob, "stream", &[]).ok()?;
    call(&stream, "pipeThrough", &[compressor]).ok()
}

async fn put(
    cache: &JsValue,
    id: &str,
    file: &'static str,
    array: Uint8Array,
    gzip: bool,
) -> Result<(), StoreError> {
    let body = gzip
        .then(|| gzip_stream(&array))
        .flatten()
        .unwrap_or_else(|| array.into());
    let response = construct("Response", &[body])?;
    call_async(cache, "put", &[url(id, file)?, response])
        .await
        .map(|_| ())
        .map_err(|why| StoreError::Refused { file, why })
}

/// The bytes of `file` of dataset `id`, `None` when not stored.
async fn read(cache: &JsValue, id: &str, file: &str) -> Result<Option<Vec<u8>>, String> {
    let response = call_async(cache, "match", &[url(id, file)?]).await?;
    if response.is_undefined() || response.is_null() {
        return Ok(None);
    }
    let buffer = call_async(&response, "arrayBuffer", &[]).await?;
    Ok(Some(Uint8Array::new(&buffer).to_vec()))
}

/// Every stored dataset whose meta reads, in id order; broken entries are skipped.
pub async fn list() -> Result<Vec<UserMeta>, StoreError> {
    let cache = open().await?;
    let keys = call_async(&cache, "keys", &[]).await?;
    let mut ids: Vec<String> = Array::from(&keys)
        .iter()
        .filter_map(|request| get(&request, "url").ok()?.as_string())
        .filter_map(|u| {
            let rest = u.split(PREFIX).nth(1)?;
            rest.strip_suffix(&format!("/{META_FILE}"))
                .map(str::to_owned)
        })
        .collect();
    ids.sort();
    ids.dedup();
    let mut out = Vec::new();
    for id in ids {
        if let Ok(Some(bytes)) = read(&cache, &id, META_FILE).await {
            if let Ok(meta) = UserMeta::from_json(&String::from_utf8_lossy(&bytes)) {
                if meta.id == id {
                    out.push(meta);
                }
            }
        }
    }
    Ok(out)
}

/// Stores a dataset, its four parts (in [`PART_FILES`] order) in JavaScript memory (the
/// file reader worker does this for the page), replacing one with the same id. On failure
/// nothing is kept.
pub async fn save_parts(meta: &UserMeta, parts: [Uint8Array; 4]) -> Result<(), StoreError> {
    let cache = open().await?;
    let id = &meta.id;
    for (file, array) in PART_FILES.into_iter().zip(parts) {
        if let Err(e) = put(&cache, id, file, array, true).await {
            let _ = remove(id).await;
            return Err(e);
        }
    }
    let json = Uint8Array::from(meta.to_json().as_bytes());
    if let Err(e) = put(&cache, id, META_FILE, json, false).await {
        let _ = remove(id).await;
        return Err(e);
    }
    Ok(())
}

/// Reads dataset `id` back: its meta, training and test parts.
pub async fn load(id: &str) -> Result<(UserMeta, Dataset, Dataset), StoreError> {
    let (cache, meta) = open_meta(id).await?;
    let train = read_part(&cache, &meta, Part::Train).await?;
    let test = read_part(&cache, &meta, Part::Test).await?;
    Ok((meta, train, test))
}

/// Reads dataset `id`'s meta and test part back (the file reader worker does this for
/// the page).
pub async fn load_test(id: &str) -> Result<(UserMeta, Dataset), StoreError> {
    let (cache, meta) = open_meta(id).await?;
    let test = read_part(&cache, &meta, Part::Test).await?;
    Ok((meta, test))
}

/// What is stored does not read back (`e` says why).
fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

fn not_stored(id: &str) -> StoreError {
    StoreError::NotStored(id.to_owned())
}

/// The cache and the meta of dataset `id`.
async fn open_meta(id: &str) -> Result<(JsValue, UserMeta), StoreError> {
    let cache = open().await?;
    let bytes = read(&cache, id, META_FILE)
        .await?
        .ok_or_else(|| not_stored(id))?;
    let meta = UserMeta::from_json(&String::from_utf8_lossy(&bytes)).map_err(corrupt)?;
    Ok((cache, meta))
}

/// Reads and checks one part (`PART_FILES`: train images, labels, then test) of `meta`.
async fn read_part(cache: &JsValue, meta: &UserMeta, part: Part) -> Result<Dataset, StoreError> {
    let files = match part {
        Part::Train => [PART_FILES[0], PART_FILES[1]],
        Part::Test => [PART_FILES[2], PART_FILES[3]],
    };
    let mut bytes = Vec::with_capacity(2);
    for file in files {
        let stored = read(cache, &meta.id, file).await?;
        let stored = stored.ok_or_else(|| not_stored(&meta.id))?;
        // Inflated a slice per task: a large part never holds the page's thread.
        bytes.push(gunzip_yielding(stored, file).await.map_err(corrupt)?);
    }
    meta.dataset(part, &bytes[0], &bytes[1]).map_err(corrupt)
}

/// Deletes dataset `id` (every entry; missing ones are fine).
pub async fn remove(id: &str) -> Result<(), StoreError> {
    let cache = open().await?;
    call_async(&cache, "delete", &[url(id, META_FILE)?]).await?;
    for file in PART_FILES.into_iter().chain([IMPORTED_SUPERNET]) {
        call_async(&cache, "delete", &[url(id, file)?]).await?;
    }
    Ok(())
}

/// Stores `bytes` as the supernet of dataset `meta.id`, then `meta` (which records it, or
/// no longer does when `bytes` is `None`: the supernet is deleted after the meta says so).
pub async fn set_supernet(meta: &UserMeta, bytes: Option<&[u8]>) -> Result<(), StoreError> {
    let cache = open().await?;
    let id = &meta.id;
    if let Some(bytes) = bytes {
        put(
            &cache,
            id,
            IMPORTED_SUPERNET,
            Uint8Array::from(bytes),
            false,
        )
        .await?;
    }
    let json = Uint8Array::from(meta.to_json().as_bytes());
    put(&cache, id, META_FILE, json, false).await?;
    if bytes.is_none() {
        call_async(&cache, "delete", &[url(id, IMPORTED_SUPERNET)?]).await?;
    }
    Ok(())
}

/// The supernet imported for dataset `id` (the search worker reads it itself).
pub async fn load_supernet(id: &str) -> Result<Vec<u8>, StoreError> {
    let cache = open().await?;
    read(&cache, id, IMPORTED_SUPERNET)
        .await?
        .ok_or_else(|| StoreError::NotStored(format!("the supernet of {id}")))
}
