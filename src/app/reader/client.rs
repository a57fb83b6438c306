//! The page's side of the file reader: spawns `aebnas-reader_loader.js` (trunk's shim for
//! the `aebnas-reader` binary), sends it the picked `File`s once it says `Ready`, and
//! turns its answers into [`ReaderEvent`]s. One worker per read: it closes itself when it
//! has answered and is terminated when it crashes or is dropped (cancel), so a crash or a
//! large file's memory never stays.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, File, MessageEvent, Worker};

use super::protocol::{split_pixels, FromReader, ReadError, SampleHead, Step, ToReader};
use crate::app::state::Sample;
use crate::app::user_data::UserMeta;

/// The worker script trunk writes next to `index.html`.
pub const READER_URL: &str = "aebnas-reader_loader.js";

/// What the page hears from a read.
pub enum ReaderEvent {
    /// A step started.
    Progress(Step),
    /// The files were read and converted: the meta, the four stored parts (in
    /// `PART_FILES` order, left in JavaScript memory) and the preview images.
    Done(Box<UserMeta>, [Uint8Array; 4], Vec<Sample>),
    /// Reading failed (or the reader stopped); nothing was kept.
    Failed(ReadError),
}

/// One read in a worker of its own. Dropping it terminates the worker.
pub struct ReaderJob {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

impl ReaderJob {
    /// Starts a worker that reads `files` (named `names`) and reports to `on_event`; after
    /// its one `Done` or `Failed` the worker closes itself and nothing more is reported.
    pub fn start(
        files: Vec<File>,
        names: Vec<String>,
        on_event: impl Fn(ReaderEvent) + 'static,
    ) -> Result<Self, ReadError> {
        let worker = Worker::new(READER_URL).map_err(|e| ReadError::Crashed(format!("{e:?}")))?;
        let on_event = Rc::new(on_event);
        let over = Rc::new(Cell::new(false));
        let request = RefCell::new(Some((files, names)));
        let on_message = {
            let (worker, on_event, over) = (worker.clone(), Rc::clone(&on_event), Rc::clone(&over));
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                if over.get() {
                    return;
                }
                let data = event.data();
                let message = Reflect::get(&data, &"json".into())
                    .ok()
                    .and_then(|v| v.as_string())
                    .ok_or_else(|| ReadError::Protocol("not a reader message".into()))
                    .and_then(|text| FromReader::from_json(&text));
                let event = match message {
                    Ok(FromReader::Ready) => {
                        if let Some((files, names)) = request.borrow_mut().take() {
                            send(&worker, files, names);
                        }
                        return;
                    }
                    Ok(FromReader::Progress(step)) => return on_event(ReaderEvent::Progress(step)),
                    Ok(FromReader::Done { meta, samples }) => done(meta, &samples, &data),
                    Ok(FromReader::Failed(e)) | Err(e) => ReaderEvent::Failed(e),
                };
                // The worker closes itself after its answer (freeing its memory there,
                // where `terminate()` would free it on this thread); one that crashed
                // or garbled its answer is terminated.
                if matches!(
                    event,
                    ReaderEvent::Failed(ReadError::Crashed(_) | ReadError::Protocol(_))
                ) {
                    worker.terminate();
                }
                over.set(true);
                on_event(event);
            })
        };
        let on_error = {
            let worker = worker.clone();
            Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
                event.prevent_default();
                if over.replace(true) {
                    return;
                }
                worker.terminate();
                let message = event.message();
                on_event(ReaderEvent::Failed(ReadError::Crashed(
                    if message.is_empty() {
                        "it failed to load".into()
                    } else {
                        message
                    },
                )));
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Self {
            worker,
            _on_message: on_message,
            _on_error: on_error,
        })
    }
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

/// Posts the request: the JSON and the `File`s (structured-cloned: no bytes are read here).
fn send(worker: &Worker, files: Vec<File>, names: Vec<String>) {
    let object = Object::new();
    let list: Array = files.into_iter().map(JsValue::from).collect();
    let _ = Reflect::set(
        &object,
        &"json".into(),
        &ToReader::Read { names }.to_json().into(),
    );
    let _ = Reflect::set(&object, &"files".into(), &list);
    let _ = worker.post_message(&object);
}

/// The stored form and samples of a `Done` message (`data` holds its buffers). Only the
/// preview pixels are copied into this page's memory.
fn done(meta: UserMeta, heads: &[SampleHead], data: &JsValue) -> ReaderEvent {
    let buffers: Vec<Uint8Array> = Reflect::get(data, &"buffers".into())
        .ok()
        .filter(Array::is_array)
        .map(|a| {
            Array::from(&a)
                .iter()
                .map(|b| Uint8Array::new(&b))
                .collect()
        })
        .unwrap_or_default();
    let Ok([train_images, train_labels, test_images, test_labels, pixels]) =
        <[Uint8Array; 5]>::try_from(buffers)
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
