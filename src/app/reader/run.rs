//! The file reader worker's side (runs in a dedicated web worker, never on the page's
//! thread): answers one [`ToReader::Read`] with progress, then the stored form and the
//! preview pixels (transferred, not copied) or a typed [`ReadError`]; or one
//! [`ToReader::Save`] (the parts compressed into browser storage here), or one
//! [`ToReader::LoadTest`] with a stored dataset's test part, read back from browser
//! storage and inflated here. A panic is reported
//! as `Failed` before the worker's WebAssembly aborts; the page then terminates it.

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{DedicatedWorkerGlobalScope, File, MessageEvent};

use super::client::{buffers, list_of};
use super::protocol::{labels_to_bytes, FromReader, ReadError, SampleHead, Step, ToReader};
use crate::app::loader::pick_samples;
use crate::app::user_data::{check_sizes, to_stored, Stored};
use crate::app::user_store;
use crate::data::{load_any, Input};

/// Images in the preview grid.
const PREVIEW_SAMPLES: usize = 20;

/// Posts `message` with `buffers` (transferred) to the page.
fn post_with(message: &FromReader, buffers: &[Uint8Array]) {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let object = Object::new();
    let list = Array::new();
    let transfer = Array::new();
    for b in buffers {
        list.push(&b.buffer());
        transfer.push(&b.buffer());
    }
    let _ = Reflect::set(&object, &"json".into(), &message.to_json().into());
    let _ = Reflect::set(&object, &"buffers".into(), &list);
    let _ = scope.post_message_with_transfer(&object, &transfer);
}

fn post(message: &FromReader) {
    post_with(message, &[]);
}

/// This worker's WebAssembly memory in bytes (64 KiB pages; it only grows).
fn memory_bytes() -> u64 {
    core::arch::wasm32::memory_size(0) as u64 * 65_536
}

/// Posts the memory figure, then the answer.
fn answer(message: &FromReader, buffers: &[Uint8Array]) {
    post(&FromReader::Memory(memory_bytes()));
    post_with(message, buffers);
}

/// The worker's entry point: installs the message handler and says `Ready`.
pub fn run_reader() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        answer(
            &FromReader::Failed(ReadError::Crashed(info.to_string())),
            &[],
        );
    }));
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| {
        let data = event.data();
        let json = Reflect::get(&data, &"json".into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        match ToReader::from_json(&json) {
            Ok(request) => spawn_local(async move {
                let (message, buffers) = match serve(request, &data).await {
                    Ok(answer) => answer,
                    Err(e) => (FromReader::Failed(e), Vec::new()),
                };
                answer(&message, &buffers);
                // One request per worker: closing here frees its memory on this thread,
                // not in the page's `terminate()`.
                let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
                scope.close();
            }),
            Err(e) => post(&FromReader::Failed(e)),
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(&FromReader::Ready);
}

/// Answers one request (`data` holds what travels beside its JSON): the answer and its
/// buffers (transferred).
async fn serve(
    request: ToReader,
    data: &JsValue,
) -> Result<(FromReader, Vec<Uint8Array>), ReadError> {
    match request {
        ToReader::Read { names } => {
            let files: Vec<File> = list_of(data, "files", |f| f.dyn_into().ok());
            let (stored, samples) = read(files, names).await?;
            Ok(done(stored, samples))
        }
        ToReader::Save { meta } => {
            let parts = buffers::<4>(data)
                .ok_or_else(|| ReadError::Protocol("the request lacks its data".into()))?;
            user_store::save_parts(&meta, parts)
                .await
                .map_err(|e| ReadError::Storage(e.to_string()))?;
            Ok((FromReader::Saved, Vec::new()))
        }
        ToReader::LoadTest { id } => {
            let (meta, test) = user_store::load_test(&id)
                .await
                .map_err(|e| ReadError::Decode(e.to_string()))?;
            let buffers = vec![
                Uint8Array::from(test.images.as_slice()),
                Uint8Array::from(labels_to_bytes(&test.labels).as_slice()),
            ];
            Ok((FromReader::Loaded { meta }, buffers))
        }
    }
}

/// Reads `files` (named `names`), checked against the size limits first.
async fn read(
    files: Vec<File>,
    names: Vec<String>,
) -> Result<(Stored, Vec<crate::app::state::Sample>), ReadError> {
    if files.len() != names.len() {
        return Err(ReadError::Protocol(format!(
            "{} files and {} names",
            files.len(),
            names.len()
        )));
    }
    #[cfg(debug_assertions)]
    crash_test(&names);
    let sizes: Vec<u64> = files.iter().map(|f| f.size() as u64).collect();
    let total = check_sizes(&sizes).map_err(|e| ReadError::Refused(e.to_string()))?;
    let count = files.len();
    let mut named = Vec::with_capacity(count);
    for (i, (file, name)) in files.iter().zip(names).enumerate() {
        post(&FromReader::Progress(Step::Reading {
            file: i + 1,
            files: count,
            name: name.clone(),
        }));
        let Ok(buffer) = JsFuture::from(file.array_buffer()).await else {
            return Err(ReadError::Unreadable(name));
        };
        named.push((name, Uint8Array::new(&buffer).to_vec()));
    }
    post(&FromReader::Progress(Step::Decoding));
    let loaded = load_any(Input::Files(&named)).map_err(|e| ReadError::Decode(e.to_string()))?;
    let names: Vec<String> = named.into_iter().map(|(n, _)| n).collect();
    post(&FromReader::Progress(Step::Converting));
    let samples = pick_samples(
        loaded.test.as_ref().unwrap_or(&loaded.train),
        PREVIEW_SAMPLES,
    );
    let stored = to_stored(loaded, &names, total).map_err(|e| ReadError::Convert(e.to_string()))?;
    Ok((stored, samples))
}

/// Test hooks of the development build, for the e2e case that proves a reader failure
/// leaves the page running: a file named [`TEST_PANIC`] panics, one named [`TEST_OOM`]
/// allocates until the allocator fails (which aborts the worker's WebAssembly). Release
/// builds (`scripts/dist`) have neither.
#[cfg(debug_assertions)]
fn crash_test(names: &[String]) {
    if names.iter().any(|n| n == TEST_PANIC) {
        panic!("a test panic, asked for by the file name {TEST_PANIC}");
    }
    if names.iter().any(|n| n == TEST_OOM) {
        let mut held: Vec<Vec<u8>> = Vec::new();
        loop {
            held.push(Vec::with_capacity(256 << 20));
            std::hint::black_box(&held);
        }
    }
}

/// See [`crash_test`].
#[cfg(debug_assertions)]
const TEST_PANIC: &str = "aebnas-reader-test-panic";
/// See [`crash_test`].
#[cfg(debug_assertions)]
const TEST_OOM: &str = "aebnas-reader-test-oom";

/// The `Done` answer: the meta and sample heads as JSON, the parts and pixels as buffers.
fn done(stored: Stored, samples: Vec<crate::app::state::Sample>) -> (FromReader, Vec<Uint8Array>) {
    let mut pixels = Vec::with_capacity(samples.iter().map(|s| s.rgba.len()).sum());
    let heads = samples
        .into_iter()
        .map(|s| {
            pixels.extend_from_slice(&s.rgba);
            SampleHead {
                index: s.index,
                label: s.label,
                class_name: s.class_name,
                width: s.width,
                height: s.height,
            }
        })
        .collect();
    let Stored {
        meta,
        train_images,
        train_labels,
        test_images,
        test_labels,
    } = stored;
    let buffers: Vec<Uint8Array> = [train_images, train_labels, test_images, test_labels, pixels]
        .iter()
        .map(|b| Uint8Array::from(b.as_slice()))
        .collect();
    let message = FromReader::Done {
        meta,
        samples: heads,
    };
    (message, buffers)
}
