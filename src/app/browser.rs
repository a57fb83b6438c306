//! Small browser helpers: same-origin fetches, a clock, and yielding to the event loop.

use gloo::net::http::Request;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// Milliseconds since the page started loading (`performance.now()`); 0 if unavailable.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|window| window.performance())
        .map_or(0.0, |performance| performance.now())
}

/// Fetches `url` (relative: always the page's own origin) as bytes.
pub async fn fetch_bytes(url: &str) -> Result<Vec<u8>, String> {
    let response = Request::get(url)
        .send()
        .await
        .map_err(|err| format!("{url}: request failed: {err}"))?;
    if !response.ok() {
        return Err(format!(
            "{url}: HTTP {} {}",
            response.status(),
            response.status_text()
        ));
    }
    response
        .binary()
        .await
        .map_err(|err| format!("{url}: could not read the body: {err}"))
}

/// Fetches `url` (relative: always the page's own origin) as text.
pub async fn fetch_text(url: &str) -> Result<String, String> {
    let bytes = fetch_bytes(url).await?;
    String::from_utf8(bytes).map_err(|_| format!("{url}: not UTF-8 text"))
}

/// Lets the browser run other tasks (rendering, input) before continuing: resolves on
/// the next macrotask (`setTimeout(0)`).
pub async fn yield_now() {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let scheduled = web_sys::window().map(|window| {
            window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
        });
        if !matches!(scheduled, Some(Ok(_))) {
            // No timer available: resolve at once rather than hang.
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
    });
    let _ = JsFuture::from(promise).await;
}

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
