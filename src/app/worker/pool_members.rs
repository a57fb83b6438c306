//! The pool workers of the search worker (nested dedicated workers of the same binary,
//! [`member`](super::member)): started for a search request and closed after it, each
//! with the job it holds; what they say is queued in an inbox that wakes the waiting batch.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::task::{Poll, Waker};

use super::client::SearchWorker;
use super::job::JobResult;
use super::protocol::FromWorker;
use crate::app::worker_build::WorkerBuild;

/// What a pool worker said (its number, the event).
pub enum Heard {
    /// It answered a job.
    Done(JobResult),
    /// It crashed or could not start.
    Stopped(String),
}

/// A pool worker and the job it holds (index in the current batch).
pub struct Member {
    /// Its handle (dropping it terminates the worker).
    pub worker: SearchWorker,
    /// The index of the job it holds in the current batch.
    pub job: Option<usize>,
}

thread_local! {
    static MEMBERS: RefCell<Vec<Option<Member>>> = const { RefCell::new(Vec::new()) };
    static INBOX: RefCell<VecDeque<(usize, Heard)>> = const { RefCell::new(VecDeque::new()) };
    static WAKER: RefCell<Option<Waker>> = const { RefCell::new(None) };
}

fn hear(member: usize, heard: Heard) {
    INBOX.with_borrow_mut(|q| q.push_back((member, heard)));
    wake();
}

/// Wakes a batch waiting for its workers (a pause was requested, or one answered).
pub fn wake() {
    if let Some(w) = WAKER.with_borrow_mut(Option::take) {
        w.wake();
    }
}

/// The browser could not start a pool worker (the search goes on with those that run).
#[derive(Debug, thiserror::Error)]
#[error("could not start a pool worker: {0}")]
pub struct StartError(String);

/// Starts pool workers until `n` run (crashed ones are replaced); `Err` when the browser
/// cannot start one.
pub fn ensure_members(n: usize) -> Result<(), StartError> {
    MEMBERS.with_borrow_mut(|members| {
        if members.len() < n {
            members.resize_with(n, || None);
        }
        for (id, slot) in members.iter_mut().enumerate().take(n) {
            if slot.is_some() {
                continue;
            }
            // Pool workers train on the CPU only (a GPU is one device).
            let worker = SearchWorker::spawn(
                WorkerBuild::Cpu,
                move |message| match message {
                    FromWorker::JobDone { result } => hear(id, Heard::Done(result)),
                    FromWorker::Failed { message } => hear(id, Heard::Stopped(message)),
                    _ => {}
                },
                move |error| hear(id, Heard::Stopped(error)),
            )
            .map_err(|e| StartError(e.to_string()))?;
            *slot = Some(Member { worker, job: None });
        }
        Ok(())
    })
}

/// Runs `f` on the live ones of the first `n` pool workers.
pub fn for_members(n: usize, mut f: impl FnMut(&mut Member)) {
    MEMBERS.with_borrow_mut(|ms| ms.iter_mut().take(n).flatten().for_each(&mut f));
}

/// The next thing a pool worker said; `Pending` (waking the task on the next) when none.
pub fn poll_heard(waker: &Waker) -> Poll<(usize, Heard)> {
    match INBOX.with_borrow_mut(VecDeque::pop_front) {
        Some(h) => Poll::Ready(h),
        None => {
            WAKER.set(Some(waker.clone()));
            Poll::Pending
        }
    }
}

/// Forgets what pool workers said before (a new search starts).
pub fn clear_inbox() {
    INBOX.with_borrow_mut(VecDeque::clear);
}

/// Frees pool worker `m`; returns the job it held.
pub fn free(m: usize) -> Option<usize> {
    MEMBERS.with_borrow_mut(|ms| ms.get_mut(m)?.as_mut()?.job.take())
}

/// Terminates pool worker `m` (the next search starts a new one).
pub fn stop(m: usize, why: &str) {
    web_sys::console::warn_1(&format!("a pool worker stopped: {why}").into());
    MEMBERS.with_borrow_mut(|ms| {
        if let Some(slot) = ms.get_mut(m) {
            *slot = None;
        }
    });
}

/// Terminates every pool worker (a search request ended; their memory is freed).
pub fn close_members() {
    MEMBERS.with_borrow_mut(Vec::clear);
    clear_inbox();
}
