//! Reading the user's files for "Use your own data": each read runs in a file reader
//! worker of its own (`app::reader`), so the page's main thread only posts the `File`s
//! and receives the result. The hook holds the read's state — the progress line, the
//! preview waiting for "Use this dataset", or the one-line error — and the worker, which
//! "Cancel" (or a new read, or unmounting) terminates.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Uint8Array;
use wasm_bindgen::JsValue;
use yew::prelude::*;

use crate::app::reader::client::{ReaderEvent, ReaderJob, Request};
use crate::app::reader::protocol::ReadError;
use crate::app::state::Sample;
use crate::app::user_data::UserMeta;

/// A read and converted dataset waiting for "Use this dataset".
#[derive(Debug)]
pub struct Preview {
    /// The stored form's description.
    pub meta: UserMeta,
    /// The stored form's four IDX parts, in `PART_FILES` order (JavaScript memory, as the
    /// reader sent them: "Use" stores them without a copy on this thread).
    pub parts: [Uint8Array; 4],
    /// Test images to show.
    pub samples: Vec<Sample>,
}

/// Where the current read stands.
#[derive(Clone, Debug, Default)]
pub enum ReadState {
    /// Nothing read (or the preview was discarded, or the read cancelled).
    #[default]
    Idle,
    /// Reading: the status line.
    Reading(String),
    /// Read: the preview.
    Ready(Rc<Preview>),
    /// The read failed: one line.
    Failed(String),
}

/// The read's state and what the panel can do with it.
#[derive(Clone)]
pub struct Reader {
    /// Where the read stands.
    pub state: ReadState,
    /// Reads these files (ignored while a read runs).
    pub read: Callback<Vec<web_sys::File>>,
    /// Stops the running read (terminates its worker).
    pub cancel: Callback<()>,
    /// Forgets the preview or the error.
    pub clear: Callback<()>,
    /// Stores the preview in browser storage, in a reader worker (the compression would
    /// hold this thread), and reports how that went. The preview's parts are handed to
    /// the worker: after a failure, read the files again.
    pub save: Callback<Callback<Result<(), String>>>,
}

/// The name a file is read under: its path inside a picked folder, else its name.
fn file_name(file: &web_sys::File) -> String {
    js_sys::Reflect::get(file, &JsValue::from_str("webkitRelativePath"))
        .ok()
        .and_then(|v| v.as_string())
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| file.name())
}

/// Hands `preview`'s parts to a reader worker that stores them; `done` hears how that
/// went. Returns the job (which must live until its answer).
fn save(preview: &Preview, done: Callback<Result<(), String>>) -> Option<ReaderJob> {
    let request = Request::Save {
        meta: preview.meta.clone(),
        parts: preview.parts.clone(),
    };
    let answer = done.clone();
    let started = ReaderJob::start(request, move |event| match event {
        ReaderEvent::Saved => answer.emit(Ok(())),
        ReaderEvent::Failed(e) => answer.emit(Err(e.to_string())),
        ReaderEvent::Progress(_) => {}
        ReaderEvent::Done(..) | ReaderEvent::Loaded(..) => answer.emit(Err(ReadError::Protocol(
            "an answer to another request".into(),
        )
        .to_string())),
    });
    started.map_err(|e| done.emit(Err(e.to_string()))).ok()
}

/// The file reader: see the module comment.
#[hook]
pub fn use_reader() -> Reader {
    let state = use_state(ReadState::default);
    let job: Rc<RefCell<Option<ReaderJob>>> = use_mut_ref(|| None);
    let read = {
        let (state, job) = (state.clone(), job.clone());
        Callback::from(move |files: Vec<web_sys::File>| {
            if files.is_empty() || matches!(*state, ReadState::Reading(_)) {
                return;
            }
            job.borrow_mut().take();
            let names: Vec<String> = files.iter().map(file_name).collect();
            state.set(ReadState::Reading(format!(
                "Starting the file reader for {} file(s)…",
                files.len()
            )));
            let setter = state.setter();
            let started = ReaderJob::start(Request::Read { files, names }, move |event| {
                setter.set(match event {
                    ReaderEvent::Progress(step) => ReadState::Reading(step.describe()),
                    ReaderEvent::Done(meta, parts, samples) => ReadState::Ready(Rc::new(Preview {
                        meta: *meta,
                        parts,
                        samples,
                    })),
                    ReaderEvent::Failed(e) => ReadState::Failed(e.to_string()),
                    ReaderEvent::Saved | ReaderEvent::Loaded(..) => ReadState::Failed(
                        ReadError::Protocol("an answer to another request".into()).to_string(),
                    ),
                })
            });
            match started {
                Ok(j) => *job.borrow_mut() = Some(j),
                Err(e) => state.set(ReadState::Failed(e.to_string())),
            }
        })
    };
    let cancel = {
        let (state, job) = (state.clone(), job.clone());
        Callback::from(move |()| {
            job.borrow_mut().take();
            state.set(ReadState::Idle);
        })
    };
    let save = {
        let (state, job) = (state.clone(), job.clone());
        Callback::from(move |done: Callback<Result<(), String>>| {
            let ReadState::Ready(preview) = &*state else {
                return done.emit(Err("there is no read dataset to keep".into()));
            };
            job.borrow_mut().take();
            *job.borrow_mut() = save(preview, done);
        })
    };
    let clear = {
        let state = state.clone();
        Callback::from(move |()| state.set(ReadState::Idle))
    };
    {
        // Unmounting stops a running read.
        let job = job.clone();
        use_effect_with((), move |_| move || drop(job.borrow_mut().take()));
    }
    Reader {
        state: (*state).clone(),
        read,
        cancel,
        clear,
        save,
    }
}
