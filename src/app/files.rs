//! Files in the browser: saving text as a download and reading a picked or dropped file
//! (its size checked before it is read).

use wasm_bindgen::{JsCast, JsValue};

/// Offers `text` as a download named `name`.
pub fn download_text(name: &str, mime: &str, text: &str) -> Result<(), FileError> {
    download(name, mime, &JsValue::from_str(text))
}

/// Offers `bytes` as a download named `name`.
pub fn download_bytes(name: &str, mime: &str, bytes: &[u8]) -> Result<(), FileError> {
    download(name, mime, &js_sys::Uint8Array::from(bytes))
}

fn download(name: &str, mime: &str, part: &JsValue) -> Result<(), FileError> {
    let err = |e: JsValue| FileError::Download(format!("{e:?}"));
    let parts = js_sys::Array::of1(part);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_blob_sequence_and_options(&parts, &options).map_err(err)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(err)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| FileError::Download("no document".into()))?;
    let a: web_sys::HtmlElement = document
        .create_element("a")
        .map_err(err)?
        .dyn_into()
        .map_err(|_| FileError::Download("not an element".into()))?;
    a.set_attribute("href", &url).map_err(err)?;
    a.set_attribute("download", name).map_err(err)?;
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// The first file of a `FileList`, if any.
pub fn first_file(files: Option<web_sys::FileList>) -> Option<web_sys::File> {
    files.and_then(|f| f.get(0))
}

/// The files of a drop event (`dataTransfer.files`).
pub fn dropped_files(event: &web_sys::DragEvent) -> Option<web_sys::FileList> {
    let transfer = js_sys::Reflect::get(event, &JsValue::from_str("dataTransfer")).ok()?;
    let files = js_sys::Reflect::get(&transfer, &JsValue::from_str("files")).ok()?;
    files.dyn_into().ok()
}

/// `file`'s size, or why it is over `limit` bytes (checked before reading).
fn checked_size(file: &web_sys::File, limit: u64) -> Result<u64, FileError> {
    let size = file.size() as u64;
    if size > limit {
        return Err(FileError::TooLarge {
            name: file.name(),
            size,
            limit,
        });
    }
    Ok(size)
}

/// Reads `file` as UTF-8 text when it is at most `limit` bytes; `(size, text)`.
pub async fn read_text(file: web_sys::File, limit: u64) -> Result<(u64, String), FileError> {
    let size = checked_size(&file, limit)?;
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .map_err(|e| FileError::Unreadable {
            name: file.name(),
            reason: format!("{e:?}"),
        })?
        .as_string()
        .ok_or_else(|| FileError::NotText(file.name()))?;
    Ok((size, text))
}

/// Reads `file`'s bytes when it is at most `limit` bytes.
pub async fn read_bytes(file: &web_sys::File, limit: u64) -> Result<Vec<u8>, FileError> {
    checked_size(file, limit)?;
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| FileError::Unreadable {
            name: file.name(),
            reason: format!("{e:?}"),
        })?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Why a file could not be saved or read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FileError {
    /// The browser would not start the download.
    #[error("the download could not start: {0}")]
    Download(String),
    /// The file is over the caller's limit (checked before reading it).
    #[error("{name} is {:.1} MB; the limit is {} MB", *size as f64 / 1e6, limit >> 20)]
    TooLarge {
        /// The file's name.
        name: String,
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// The browser could not read it.
    #[error("{name} could not be read: {reason}")]
    Unreadable {
        /// The file's name.
        name: String,
        /// The browser's reason.
        reason: String,
    },
    /// Text was wanted and the file is not text.
    #[error("{0} is not text")]
    NotText(String),
}

impl From<FileError> for String {
    fn from(e: FileError) -> String {
        e.to_string()
    }
}

/// Copies `text` to the clipboard (`navigator.clipboard.writeText`); `false` when the
/// browser refuses (the page then shows the link to copy by hand).
pub async fn copy_to_clipboard(text: &str) -> bool {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return false;
    };
    let Ok(clipboard) = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard")) else {
        return false;
    };
    let Ok(write) = js_sys::Reflect::get(&clipboard, &JsValue::from_str("writeText")) else {
        return false;
    };
    let Ok(write) = write.dyn_into::<js_sys::Function>() else {
        return false;
    };
    match write.call1(&clipboard, &JsValue::from_str(text)) {
        Ok(p) => match p.dyn_into::<js_sys::Promise>() {
            Ok(p) => wasm_bindgen_futures::JsFuture::from(p).await.is_ok(),
            Err(_) => false,
        },
        Err(_) => false,
    }
}
