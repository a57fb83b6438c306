// Page actions and observations the e2e cases share: the long-task observer, the selected
// candidate's read-outs, and moving a threshold slider as a drag does.

/** Records every long task (≥ 50 ms on the main thread) from the first script on. */
export async function observeLongTasks(page) {
  await page.addInitScript(() => {
    window.__longTasks = [];
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, ms: e.duration });
      }).observe({ entryTypes: ['longtask'] });
    } catch (e) {
      window.__longTasks = null;
    }
  });
}

export async function readout(page) {
  return page.evaluate(() => {
    const q = (id) => document.querySelector(`[data-testid="${id}"]`);
    const rates = [...document.querySelectorAll('[data-testid="exit-rate"]')].map((r) => Number(r.dataset.rate));
    return { rates, accuracy: Number(q('accuracy')?.dataset.value), macs: Number(q('avg-macs')?.dataset.value) };
  });
}

/** Sets slider `i` to `v` the way a drag does (an input event), returns the read-outs. */
export async function setSlider(page, i, v) {
  await page.evaluate(([i, v]) => {
    const s = document.querySelector(`[data-testid="threshold-slider-${i}"]`);
    s.value = String(v);
    s.dispatchEvent(new Event('input', { bubbles: true }));
  }, [i, v]);
  await page.waitForFunction(([i, v]) => {
    const out = document.querySelector(`[data-testid="threshold-value-${i}"]`);
    return out && out.textContent.trim() === Number(v).toFixed(2);
  }, [i, v], { timeout: 5_000 });
  return readout(page);
}
