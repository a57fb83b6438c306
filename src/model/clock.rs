//! Wall-clock time and cooperative yielding that work natively and in wasm (page or worker).

/// Seconds since an arbitrary origin, monotonic: `Instant` natively, `performance.now()` in
/// wasm (page and workers both have it; `Date.now()` only where they do not). Durations only:
/// `Date.now()`'s whole milliseconds made the backend measurement's median step time an
/// integer, so two measurements on a quiet machine often came out identical.
pub fn now_seconds() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        let global = js_sys::global();
        js_sys::Reflect::get(&global, &"performance".into())
            .ok()
            .and_then(|p| {
                let now = js_sys::Reflect::get(&p, &"now".into()).ok()?;
                now.dyn_into::<js_sys::Function>()
                    .ok()?
                    .call0(&p)
                    .ok()?
                    .as_f64()
            })
            .unwrap_or_else(js_sys::Date::now)
            / 1000.0
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        use std::sync::OnceLock;
        use std::time::Instant;
        static ORIGIN: OnceLock<Instant> = OnceLock::new();
        ORIGIN.get_or_init(Instant::now).elapsed().as_secs_f64()
    }
}

/// Lets the event loop run (a `setTimeout(0)` in wasm; nothing natively), so long
/// computations on the browser's main thread stay responsive between steps.
pub async fn yield_now() {
    #[cfg(target_arch = "wasm32")]
    {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            let global = js_sys::global();
            if let Ok(set_timeout) = js_sys::Reflect::get(&global, &"setTimeout".into()) {
                if let Ok(f) = set_timeout.dyn_into::<js_sys::Function>() {
                    let _ = f.call2(&global, &resolve, &0.into());
                    return;
                }
            }
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        });
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }
}

#[cfg(target_arch = "wasm32")]
use wasm_bindgen::JsCast;
