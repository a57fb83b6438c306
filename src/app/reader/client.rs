//! The page's side of the file reader: spawns `aebnas-reader_loader.js` (trunk's shim for
//! the `aebnas-reader` binary), sends it the picked `File`s once it says `Ready`, and
//! turns its answers into [`ReaderEvent`]s. One worker per read: it closes itself when it
//! has answered and is terminated when it crashes, does not start in [`START_LIMIT_MS`],
//! or is dropped (cancel), so a crash or a large file's memory never stays.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, File, MessageEvent, Worker};

use super::protocol::{
    labels_from_bytes, split_pixels, FromReader, ReadError, SampleHead, Step, ToReader,
};
use crate::app::state::Sample;
use crate::app::user_data::UserMeta;
use crate::data::Dataset;

/// The worker script trunk writes next to `index.html`.
pub const READER_URL: &str = "aebnas-reader_loader.js";

/// How long a reader may take to say `Ready`. Its WebAssembly failing to load or to
/// compile (a stale cached loader after a redeploy, a host's policy refusing WebAssembly)
/// rejects a promise inside the worker, which raises no error on the page's side: without
/// this limit "Starting the file reader…" would stay for ever. The reader has no burn
/// (≈ 1–3 MB of wasm): it starts in well under a second on a busy 2-core machine.
pub const START_LIMIT_MS: u32 = 20_000;

/// What the page hears from a read.
pub enum ReaderEvent {
    /// A step started.
    Progress(Step),
    /// The files were read and converted: the meta, the four stored parts (in
    /// `PART_FILES` order, left in JavaScript memory) and the preview images.
    Done(Box<UserMeta>, [Uint8Array; 4], Vec<Sample>),
    /// The dataset is stored (a `Save` request).
    Saved,
    /// A stored dataset's meta and test part (a `LoadTest` request).
    Loaded(Box<UserMeta>, Dataset),
    /// Reading failed (or the reader stopped); nothing was kept.
    Failed(ReadError),
}

/// One request in a worker of its own. Dropping it terminates the worker.
pub struct ReaderJob {
    worker: Worker,
    _start_limit: Rc<RefCell<Option<Timeout>>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

/// What a reader worker is asked to do.
pub enum Request {
    /// Read the picked `files`, named `names` (a folder pick's relative paths, else the
    /// file names).
    Read {
        /// The picked files.
        files: Vec<File>,
        /// One name per file.
        names: Vec<String>,
    },
    /// Keep a read dataset in browser storage: its meta and four parts (in `PART_FILES`
    /// order; transferred, so this page no longer holds them).
    Save {
        /// The dataset's description.
        meta: UserMeta,
        /// The stored form's parts.
        parts: [Uint8Array; 4],
    },
    /// Read stored dataset `id`'s test part back from browser storage.
    LoadTest {
        /// The stored dataset's id.
        id: String,
    },
}

/// The end of a job: the first answer, error or time-out is reported, and only it.
#[derive(Clone)]
struct End {
    worker: Worker,
    on_event: Rc<dyn Fn(ReaderEvent)>,
    over: Rc<Cell<bool>>,
}

impl End {
    fn is_over(&self) -> bool {
        self.over.get()
    }

    /// Reports `event` unless the job already ended; `terminate` stops the worker (one
    /// that answered closes itself, freeing its memory on its own thread).
    fn finish(&self, event: ReaderEvent, terminate: bool) {
        if self.over.replace(true) {
            return;
        }
        if terminate {
            self.worker.terminate();
        }
        (self.on_event)(event);
    }
}

impl ReaderJob {
    /// Starts a worker for `request` that reports to `on_event`; after its one `Done`,
    /// `Saved`, `Loaded` or `Failed` the worker closes itself and nothing more is
    /// reported.
    pub fn start(
        request: Request,
        on_event: impl Fn(ReaderEvent) + 'static,
    ) -> Result<Self, ReadError> {
        let limit_ms = start_limit_ms();
        let worker = Worker::new(READER_URL).map_err(|e| ReadError::Crashed(format!("{e:?}")))?;
        let end = End {
            worker: worker.clone(),
            on_event: Rc::new(on_event),
            over: Rc::new(Cell::new(false)),
        };
        let start_limit = Rc::new(RefCell::new(Some({
            let end = end.clone();
            Timeout::new(limit_ms, move || {
                let why = format!("it did not start within {} s", limit_ms / 1000);
                end.finish(ReaderEvent::Failed(ReadError::Crashed(why)), true);
            })
        })));
        let request = RefCell::new(Some(request));
        let on_message = {
            let (end, start_limit) = (end.clone(), Rc::clone(&start_limit));
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                if end.is_over() {
                    return;
                }
                let data = event.data();
                match parse(&data) {
                    Ok(FromReader::Ready) => {
                        // Dropping the timeout cancels it.
                        start_limit.borrow_mut().take();
                        if let Some(request) = request.borrow_mut().take() {
                            send(&end.worker, request);
                        }
                    }
                    Ok(FromReader::Progress(step)) => (end.on_event)(ReaderEvent::Progress(step)),
                    Ok(FromReader::Memory(bytes)) => log_memory(bytes),
                    answer => {
                        let event = final_event(answer, &data);
                        // One that crashed or garbled its answer is terminated.
                        let broken = matches!(
                            event,
                            ReaderEvent::Failed(ReadError::Crashed(_) | ReadError::Protocol(_))
                        );
                        end.finish(event, broken);
                    }
                }
            })
        };
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
            event.prevent_default();
            let message = event.message();
            let why = if message.is_empty() {
                "it failed to load".into()
            } else {
                message
            };
            end.finish(ReaderEvent::Failed(ReadError::Crashed(why)), true);
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Self {
            worker,
            _start_limit: start_limit,
            _on_message: on_message,
            _on_error: on_error,
        })
    }
}

/// The reader message in `data` (its `json`).
fn parse(data: &JsValue) -> Result<FromReader, ReadError> {
    Reflect::get(data, &"json".into())
        .ok()
        .and_then(|v| v.as_string())
        .ok_or_else(|| ReadError::Protocol("not a reader message".into()))
        .and_then(|text| FromReader::from_json(&text))
}

/// What a job's final message (`Done`, `Saved`, `Loaded`, `Failed` or garbage) means.
fn final_event(message: Result<FromReader, ReadError>, data: &JsValue) -> ReaderEvent {
    match message {
        Ok(FromReader::Done { meta, samples }) => done(meta, &samples, data),
        Ok(FromReader::Loaded { meta }) => loaded(meta, data),
        Ok(FromReader::Saved) => ReaderEvent::Saved,
        Ok(FromReader::Failed(e)) | Err(e) => ReaderEvent::Failed(e),
        Ok(FromReader::Ready | FromReader::Progress(_) | FromReader::Memory(_)) => {
            ReaderEvent::Failed(ReadError::Protocol("an unexpected answer".into()))
        }
    }
}

/// [`START_LIMIT_MS`]; in development builds, localStorage `aebnas.test.reader-start-ms`
/// overrides it (the e2e case of a reader that never starts).
fn start_limit_ms() -> u32 {
    #[cfg(debug_assertions)]
    if let Some(ms) = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item("aebnas.test.reader-start-ms").ok().flatten())
        .and_then(|v| v.parse().ok())
    {
        return ms;
    }
    START_LIMIT_MS
}

impl Drop for ReaderJob {
    fn drop(&mut self) {
        // Events the worker sent before it was terminated may still be queued: with the
        // handlers detached they reach no dropped closure.
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}

/// Posts the request: the JSON and, for a read, the `File`s (structured-cloned: no bytes
/// are read here).
fn send(worker: &Worker, request: Request) {
    let object = Object::new();
    let message = match request {
        Request::Read { files, names } => {
            let list: Array = files.into_iter().map(JsValue::from).collect();
            let _ = Reflect::set(&object, &"files".into(), &list);
            ToReader::Read { names }
        }
        Request::Save { meta, parts } => {
            let list: Array = parts.iter().map(|p| JsValue::from(p.buffer())).collect();
            let _ = Reflect::set(&object, &"buffers".into(), &list);
            let _ = Reflect::set(
                &object,
                &"json".into(),
                &ToReader::Save {
                    meta: Box::new(meta),
                }
                .to_json()
                .into(),
            );
            let _ = worker.post_message_with_transfer(&object, &list);
            return;
        }
        Request::LoadTest { id } => ToReader::LoadTest { id },
    };
    let _ = Reflect::set(&object, &"json".into(), &message.to_json().into());
    let _ = worker.post_message(&object);
}

/// Logs what a request cost the reader, for people (and the e2e suite) checking it.
fn log_memory(bytes: u64) {
    web_sys::console::info_1(
        &format!(
            "file reader: WebAssembly memory {:.1} MiB at its answer",
            bytes as f64 / (1u64 << 20) as f64
        )
        .into(),
    );
}

/// The array under `key` in a message (`files`, `buffers`), each item converted by `f`
/// (items it refuses are left out).
pub(super) fn list_of<T>(data: &JsValue, key: &str, f: impl Fn(JsValue) -> Option<T>) -> Vec<T> {
    Reflect::get(data, &key.into())
        .ok()
        .filter(Array::is_array)
        .map(|a| Array::from(&a).iter().filter_map(&f).collect())
        .unwrap_or_default()
}

/// The `buffers` of a message, when there are exactly `N`.
pub(super) fn buffers<const N: usize>(data: &JsValue) -> Option<[Uint8Array; N]> {
    let list = list_of(data, "buffers", |b| Some(Uint8Array::new(&b)));
    <[Uint8Array; N]>::try_from(list).ok()
}

/// The test part of a `Loaded` answer, checked against its meta (one copy of its bytes
/// into this page's memory).
fn loaded(meta: UserMeta, data: &JsValue) -> ReaderEvent {
    let Some([images, labels]) = buffers::<2>(data) else {
        return ReaderEvent::Failed(ReadError::Protocol("the answer lacks its data".into()));
    };
    let Some(labels) = labels_from_bytes(&labels.to_vec()) else {
        return ReaderEvent::Failed(ReadError::Protocol("the labels are cut short".into()));
    };
    let shape = (meta.channels, meta.height, meta.width);
    let name = format!("{} (test)", meta.name);
    match Dataset::new(name, meta.classes.clone(), shape, images.to_vec(), labels) {
        Ok(test) if test.len() == meta.test_count => ReaderEvent::Loaded(Box::new(meta), test),
        Ok(test) => ReaderEvent::Failed(ReadError::Decode(format!(
            "{}: {} stored test images, {} expected",
            meta.id,
            test.len(),
            meta.test_count
        ))),
        Err(e) => ReaderEvent::Failed(ReadError::Decode(e.to_string())),
    }
}

/// The stored form and samples of a `Done` message (`data` holds its buffers). Only the
/// preview pixels are copied into this page's memory.
fn done(meta: UserMeta, heads: &[SampleHead], data: &JsValue) -> ReaderEvent {
    let Some([train_images, train_labels, test_images, test_labels, pixels]) = buffers::<5>(data)
    else {
        return ReaderEvent::Failed(ReadError::Protocol("the answer lacks its data".into()));
    };
    let pixels = pixels.to_vec();
    let Some(rgba) = split_pixels(heads, &pixels) else {
        return ReaderEvent::Failed(ReadError::Protocol("preview pixels do not match".into()));
    };
    let samples = heads
        .iter()
        .zip(rgba)
        .map(|(h, rgba)| Sample {
            index: h.index,
            label: h.label,
            class_name: h.class_name.clone(),
            width: h.width,
            height: h.height,
            rgba: rgba.to_vec(),
        })
        .collect();
    let parts = [train_images, train_labels, test_images, test_labels];
    ReaderEvent::Done(Box::new(meta), parts, samples)
}
