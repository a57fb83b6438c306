//! One helper of the hand-written CPU kernels ([`super::depthwise`],
//! [`super::batch_norm`]): disjoint chunks of an output buffer, in parallel natively.

/// Runs `f(index, chunk)` over the `size`-long chunks of `out`: on burn's thread pool
/// (rayon) natively, one after the other in WebAssembly (no threads there).
pub fn for_each_chunk(out: &mut [f32], size: usize, f: impl Fn(usize, &mut [f32]) + Sync + Send) {
    #[cfg(not(target_arch = "wasm32"))]
    {
        use rayon::prelude::*;
        out.par_chunks_mut(size)
            .enumerate()
            .for_each(|(i, c)| f(i, c));
    }
    #[cfg(target_arch = "wasm32")]
    for (i, c) in out.chunks_mut(size).enumerate() {
        f(i, c);
    }
}
