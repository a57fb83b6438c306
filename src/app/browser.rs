//! Small browser helpers for the page and its workers: same-origin fetches, JS errors as
//! text, a clock, yielding to the event loop, and whether the page may have WebGPU.

use std::cell::Cell;

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Milliseconds since the page started loading (`performance.now()`); 0 if unavailable.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|window| window.performance())
        .map_or(0.0, |performance| performance.now())
}

/// Fetches `url` (relative: always this origin) as bytes, through the global `fetch`, so
/// the page and its workers (which have no `window`) share it.
pub async fn fetch_bytes(url: &str) -> Result<Vec<u8>, FetchError> {
    fetch_capped(url, usize::MAX).await
}

/// [`fetch_bytes`], refusing a body the server announces (`Content-Length`) as larger than
/// `limit` bytes before reading it, and one that turns out larger after.
pub async fn fetch_capped(url: &str, limit: usize) -> Result<Vec<u8>, FetchError> {
    let fail = |what: &'static str, e: JsValue| FetchError::Request {
        url: url.to_string(),
        what,
        reason: describe(&e),
    };
    let global = js_sys::global();
    let fetch: js_sys::Function = js_sys::Reflect::get(&global, &JsValue::from_str("fetch"))
        .map_err(|e| fail("no fetch", e))?
        .dyn_into()
        .map_err(|e| fail("fetch is not a function", e))?;
    let promise: js_sys::Promise = fetch
        .call1(&global, &JsValue::from_str(url))
        .map_err(|e| fail("request failed", e))?
        .dyn_into()
        .map_err(|e| fail("fetch did not return a promise", e))?;
    let response: web_sys::Response = JsFuture::from(promise)
        .await
        .map_err(|e| fail("request failed", e))?
        .dyn_into()
        .map_err(|e| fail("not a response", e))?;
    if !response.ok() {
        return Err(FetchError::Status {
            url: url.to_string(),
            status: response.status(),
            text: response.status_text(),
        });
    }
    let too_large = |bytes: usize| FetchError::TooLarge {
        url: url.to_string(),
        bytes,
        limit,
    };
    let announced = (response.headers().get("content-length").ok().flatten())
        .and_then(|v| v.trim().parse::<usize>().ok());
    if let Some(n) = announced.filter(|&n| n > limit) {
        return Err(too_large(n));
    }
    let body = response
        .array_buffer()
        .map_err(|e| fail("could not read the body", e))?;
    let buffer = JsFuture::from(body)
        .await
        .map_err(|e| fail("could not read the body", e))?;
    let array = js_sys::Uint8Array::new(&buffer);
    if array.length() as usize > limit {
        return Err(too_large(array.length() as usize));
    }
    Ok(array.to_vec())
}

/// A JS error as one line of text.
pub fn describe(e: &JsValue) -> String {
    let field = |k: &str| {
        js_sys::Reflect::get(e, &JsValue::from_str(k))
            .ok()
            .and_then(|v| v.as_string())
    };
    match (field("name"), field("message"), e.as_string()) {
        (Some(n), Some(m), _) => format!("{n}: {m}"),
        (_, Some(m), _) => m,
        (_, _, Some(s)) => s,
        _ => format!("{e:?}"),
    }
}

thread_local! {
    /// Whether the browser handed the page a WebGPU adapter ([`check_webgpu_adapter`]);
    /// `None` until asked.
    static WEBGPU_ADAPTER: Cell<Option<bool>> = const { Cell::new(None) };
}

/// This global's `navigator.gpu` (the page's or a worker's), when present and not
/// `undefined`/`null`.
pub fn navigator_gpu() -> Option<JsValue> {
    let navigator =
        js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("navigator")).ok()?;
    let gpu = js_sys::Reflect::get(&navigator, &JsValue::from_str("gpu")).ok()?;
    (!gpu.is_undefined() && !gpu.is_null()).then_some(gpu)
}

/// `navigator.gpu.requestAdapter()`: `None` when it fails or offers no adapter.
pub async fn request_adapter(gpu: &JsValue) -> Option<JsValue> {
    let request = js_sys::Reflect::get(gpu, &JsValue::from_str("requestAdapter")).ok()?;
    let request: js_sys::Function = request.dyn_into().ok()?;
    let promise: js_sys::Promise = request.call0(gpu).ok()?.dyn_into().ok()?;
    let adapter = JsFuture::from(promise).await.ok()?;
    (!adapter.is_null() && !adapter.is_undefined()).then_some(adapter)
}

/// Whether the page may have WebGPU: it has the API (`navigator.gpu`) and, once
/// [`check_webgpu_adapter`] asked, an adapter. Until then the API alone decides.
pub fn may_have_webgpu() -> bool {
    navigator_gpu().is_some() && WEBGPU_ADAPTER.get() != Some(false)
}

/// Asks the browser for a WebGPU adapter once (`navigator.gpu.requestAdapter()`) and keeps
/// whether it gave one, for [`may_have_webgpu`]. Asynchronous: no main-thread work beyond
/// the call; a browser without the API is not asked.
pub async fn check_webgpu_adapter() {
    if WEBGPU_ADAPTER.get().is_some() {
        return;
    }
    let adapter = match navigator_gpu() {
        Some(gpu) => request_adapter(&gpu).await,
        None => None,
    };
    WEBGPU_ADAPTER.set(Some(adapter.is_some()));
}

/// Asks the user `text` with the browser's confirm dialog; `false` when there is none.
pub fn confirm(text: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(text).ok())
        .unwrap_or(false)
}

/// Fetches `url` (relative: always the page's own origin) as text.
pub async fn fetch_text(url: &str) -> Result<String, FetchError> {
    let bytes = fetch_bytes(url).await?;
    String::from_utf8(bytes).map_err(|_| FetchError::NotText(url.to_string()))
}

/// Why a same-origin fetch failed (each names the URL).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FetchError {
    /// The request could not be made or answered (no `fetch`, offline, a body unread).
    #[error("{url}: {what}: {reason}")]
    Request {
        /// The URL.
        url: String,
        /// The step that failed.
        what: &'static str,
        /// The browser's reason.
        reason: String,
    },
    /// The server answered with an error status.
    #[error("{url}: HTTP {status} {text}")]
    Status {
        /// The URL.
        url: String,
        /// The HTTP status.
        status: u16,
        /// Its text.
        text: String,
    },
    /// The body is larger than the caller accepts (announced or read).
    #[error("{url}: {bytes} bytes; at most {limit} are accepted")]
    TooLarge {
        /// The URL.
        url: String,
        /// The body's size.
        bytes: usize,
        /// The caller's limit.
        limit: usize,
    },
    /// Text was wanted and the body is not UTF-8.
    #[error("{0}: not UTF-8 text")]
    NotText(String),
}

impl From<FetchError> for String {
    fn from(e: FetchError) -> String {
        e.to_string()
    }
}

/// Lets the browser run other tasks (rendering, input) before continuing: resolves on
/// the next macrotask (`setTimeout(0)`; the same in the page and the workers).
pub use crate::model::clock::yield_now;

/// Runs `f` and, in debug builds, records it as a User Timing measure named `name`
/// (seen in Chromium traces as `blink.user_timing`, which `tests/e2e/trace-search.mjs`
/// prints inside each long task). The entry is cleared at once, so nothing accumulates.
pub fn measured<R>(name: &str, f: impl FnOnce() -> R) -> R {
    #[cfg(debug_assertions)]
    {
        let performance = web_sys::window().and_then(|w| w.performance());
        let start = format!("{name}:start");
        if let Some(p) = &performance {
            let _ = p.mark(&start);
        }
        let out = f();
        if let Some(p) = performance {
            let _ = p.measure_with_start_mark(name, &start);
            p.clear_marks_with_mark_name(&start);
            p.clear_measures_with_measure_name(name);
        }
        out
    }
    #[cfg(not(debug_assertions))]
    {
        let _ = name;
        f()
    }
}

/// Runs `f` in a task of its own right after the next frame is drawn
/// (`requestAnimationFrame`, then `setTimeout(0)`): layout is clean then, so a call that
/// forces a synchronous layout (Chromium's `history.replaceState` does) costs little
/// instead of adding a whole-page layout to the task that changed the DOM.
pub fn after_next_frame(f: impl FnOnce() + 'static) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let Some(window) = web_sys::window() else {
        return f();
    };
    let later = window.clone();
    let in_frame = Closure::once_into_js(move || {
        let task = Closure::once_into_js(f);
        let _ =
            later.set_timeout_with_callback_and_timeout_and_arguments_0(task.unchecked_ref(), 0);
    });
    let _ = window.request_animation_frame(in_frame.unchecked_ref());
}

thread_local! {
    /// Parts of the page staged for later ([`Deferred`](crate::app::components::Deferred))
    /// that have not mounted yet: [`when_quiet`] waits for them too.
    static STAGED: Cell<u32> = const { Cell::new(0) };
}

/// One staged part while it is held: counted by [`when_quiet`] until dropped (mounted,
/// or its component gone).
pub struct Staged(());

impl Staged {
    /// Counts one more staged part until the value is dropped.
    pub fn hold() -> Self {
        STAGED.with(|n| n.set(n.get() + 1));
        Self(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        STAGED.with(|n| n.set(n.get().saturating_sub(1)));
    }
}

/// Idle time a quiet moment offers: Chromium gives up to 50 ms when nothing is scheduled,
/// and less than a frame (16 ms) while anything renders or a task chain runs.
const QUIET_IDLE_MS: f64 = 40.0;

/// Runs `f` once the page is quiet (an idle period of [`QUIET_IDLE_MS`]: no frame or task
/// pending, and no [`Staged`] part waiting to mount, so a staged render and its task chains
/// are over), at the latest after `timeout_ms`; where the browser has no idle callbacks
/// (Safari), after `timeout_ms`. For work that may start late but would slow the page's
/// start if it ran beside it.
pub fn when_quiet(timeout_ms: u32, f: impl FnOnce() + 'static) {
    let Some(window) = web_sys::window() else {
        return f();
    };
    let until = now_ms() + f64::from(timeout_ms);
    if let Err(f) = ask_idle(&window, until, Box::new(f)) {
        let f = wasm_bindgen::closure::Closure::once_into_js(f);
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
            wasm_bindgen::JsCast::unchecked_ref(&f),
            timeout_ms as i32,
        );
    }
}

/// One `requestIdleCallback` of [`when_quiet`]; gives `f` back when the browser has none.
/// Looked up, not bound: web-sys's binding needs a feature that the page's build-cache
/// sharing with the worker would have to carry too.
fn ask_idle(
    window: &web_sys::Window,
    until: f64,
    f: Box<dyn FnOnce()>,
) -> Result<(), Box<dyn FnOnce()>> {
    use js_sys::{Function, Object, Reflect};
    use wasm_bindgen::{closure::Closure, JsCast, JsValue};
    let Some(idle) = Reflect::get(window, &"requestIdleCallback".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
    else {
        return Err(f);
    };
    let again = window.clone();
    let callback = Closure::once_into_js(move |deadline: JsValue| {
        let remaining = Reflect::get(&deadline, &"timeRemaining".into())
            .ok()
            .and_then(|t| t.dyn_into::<Function>().ok())
            .and_then(|t| t.call0(&deadline).ok())
            .and_then(|ms| ms.as_f64())
            .unwrap_or(f64::INFINITY);
        let timed_out = Reflect::get(&deadline, &"didTimeout".into())
            .ok()
            .and_then(|b| b.as_bool())
            .unwrap_or(true);
        let staged = STAGED.with(Cell::get) > 0;
        if timed_out || (remaining >= QUIET_IDLE_MS && !staged) || now_ms() >= until {
            f();
        } else if let Err(f) = ask_idle(&again, until, f) {
            f();
        }
    });
    let options = Object::new();
    let left = (until - now_ms()).max(1.0);
    let _ = Reflect::set(&options, &"timeout".into(), &left.into());
    if idle.call2(window, &callback, &options).is_err() {
        // Called without a deadline, the callback runs `f`.
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
            callback.unchecked_ref(),
            left as i32,
        );
    }
    Ok(())
}
