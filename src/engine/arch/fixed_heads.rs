//! The baselines' fixed exit heads (EDANAS, NACHOS, SDN; docs/method.md § Baselines), and
//! the same backbone with another method's exit heads: the head comparison of
//! `docs/results.md` (searched branches vs EDANAS's, NACHOS's and SDN's fixed heads at
//! equal cost, docs/method.md § Baselines) swaps only the heads, so the backbone, the exit
//! placement and the resolution stay those of the searched network.

use super::{Architecture, ConvSpec, ExitHead, LinearSpec};
use crate::engine::genome::GenomeError;
use crate::engine::space::{Method, SearchSpace};

impl Architecture {
    /// This architecture with `method`'s fixed head on every enabled exit (`method` must be
    /// a baseline with a fixed head: EDANAS, NACHOS or SDN); the exits stay where they are,
    /// disabled exits stay disabled.
    ///
    /// ```
    /// use aebnas::engine::{arch::Architecture, genome::default_genome, space::{Method, SearchSpace}};
    /// let space = SearchSpace::browser_default();
    /// let searched = Architecture::decode(&space, Method::Aebnas, &default_genome(&space)).unwrap();
    /// let sdn = searched.with_fixed_heads(Method::Sdn).unwrap();
    /// assert_eq!(sdn.stages, searched.stages);
    /// assert_eq!(sdn.enabled_exits().count(), searched.enabled_exits().count());
    /// ```
    pub fn with_fixed_heads(&self, method: Method) -> Result<Architecture, GenomeError> {
        if method.searches_branches() {
            return Err(GenomeError::Shape(format!(
                "{method} searches its exit branches: it has no fixed head"
            )));
        }
        let mut arch = self.clone();
        arch.method = method;
        for (j, exit) in arch.exits.iter_mut().enumerate() {
            if exit.enabled {
                exit.head = fixed_head(&self.space, method, j, exit.in_chw)?;
            }
        }
        Ok(arch)
    }
}

/// The fixed head `method` (EDANAS, NACHOS, or SDN for any other) attaches at exit `j`
/// to a stage output of `(c, h, w)`.
pub(super) fn fixed_head(
    space: &SearchSpace,
    method: Method,
    j: usize,
    (c, h, w): (usize, usize, usize),
) -> Result<ExitHead, GenomeError> {
    let bh = &space.baseline_heads;
    let classes = space.classes;
    Ok(match method {
        Method::Edanas => {
            let expand = ConvSpec::pointwise(c, c * bh.edanas_expand, (h, w), false);
            let mix = ConvSpec::pointwise(c * bh.edanas_expand, c * bh.edanas_mix, (1, 1), false);
            ExitHead::Edanas {
                classifier: LinearSpec {
                    in_features: mix.c_out,
                    out_features: classes,
                },
                expand,
                mix,
            }
        }
        Method::Nachos => {
            let mut convs = Vec::new();
            let (mut ci, mut hw) = (c, (h, w));
            for &f in &bh.nachos_filters {
                let conv = ConvSpec::new(
                    &format!("exit {} conv", j + 1),
                    ci,
                    f,
                    3,
                    1,
                    1,
                    1,
                    hw,
                    false,
                )?;
                (ci, hw) = (f, (conv.h_out, conv.w_out));
                convs.push(conv);
            }
            ExitHead::Nachos {
                convs,
                classifier: LinearSpec {
                    in_features: ci,
                    out_features: classes,
                },
            }
        }
        _ => ExitHead::Sdn {
            pool: bh.sdn_pool,
            classifier: LinearSpec {
                in_features: c * bh.sdn_pool * bh.sdn_pool,
                out_features: classes,
            },
        },
    })
}

#[cfg(test)]
mod tests {
    use crate::engine::arch::{Architecture, ExitHead};
    use crate::engine::genome::{default_genome, Genome};
    use crate::engine::rng::Rng;
    use crate::engine::space::{Method, SearchSpace};

    /// Swapping heads keeps backbone, placement and resolution, and gives exactly the head
    /// the baseline's own decoding gives at the same exit (EDANAS and NACHOS decode the
    /// placement from the same genes, so their own decoding of the genome is the swap).
    #[test]
    fn swap_keeps_the_backbone_and_matches_the_baselines_decoding() {
        let space = SearchSpace::browser_default();
        let mut rng = Rng::new(5);
        for _ in 0..50 {
            let g = Genome::sample(&space, Method::Aebnas, &mut rng);
            let searched = Architecture::decode(&space, Method::Aebnas, &g).unwrap();
            for method in [Method::Edanas, Method::Nachos, Method::Sdn] {
                let swapped = searched.with_fixed_heads(method).unwrap();
                assert_eq!(swapped.stages, searched.stages);
                assert_eq!(swapped.input, searched.input);
                assert_eq!(swapped.final_head, searched.final_head);
                let own = Architecture::decode(&space, method, &g).unwrap();
                for (j, (s, e)) in swapped.exits.iter().zip(&searched.exits).enumerate() {
                    assert_eq!(s.enabled, e.enabled);
                    if !s.enabled {
                        continue;
                    }
                    assert_eq!(s.head, own.exits[j].head, "{method} exit {j}");
                    let fixed = matches!(
                        (&s.head, method),
                        (ExitHead::Edanas { .. }, Method::Edanas)
                            | (ExitHead::Nachos { .. }, Method::Nachos)
                            | (ExitHead::Sdn { .. }, Method::Sdn)
                    );
                    assert!(fixed, "{method} exit {j}: {:?}", s.head);
                }
            }
        }
    }

    #[test]
    fn searched_methods_have_no_fixed_head() {
        let space = SearchSpace::browser_default();
        let a = Architecture::decode(&space, Method::Aebnas, &default_genome(&space)).unwrap();
        assert!(a.with_fixed_heads(Method::Random).is_err());
        assert!(a.with_fixed_heads(Method::Aebnas).is_err());
    }
}
