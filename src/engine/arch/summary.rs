//! Human-readable architecture summary: one line per stage and per exit (UI and CLI).

use super::{Architecture, ExitHead};

impl Architecture {
    /// One line per stage / exit / final head, e.g.
    /// `stage 2: d=2 k=[5,3] e=[3,4] 24ch 7×7` and
    /// `exit 1 (after stage 1): conv k3 ext8 ×2 +pool → dwsep k5 ext10 ×1 | t=0.2`.
    pub fn summary(&self) -> String {
        self.summary_lines().join("\n")
    }

    /// The lines of [`Architecture::summary`].
    pub fn summary_lines(&self) -> Vec<String> {
        let (c, h, w) = self.input;
        let mut out = vec![format!(
            "input: {c}×{h}×{w}, stem {k}×{k} s{s} → {co}ch {ho}×{wo} ({m})",
            k = self.stem.kernel,
            s = self.stem.stride,
            co = self.stem.c_out,
            ho = self.stem.h_out,
            wo = self.stem.w_out,
            m = self.method,
        )];
        if let Some(fb) = &self.first_block {
            out.push(format!(
                "first block: k{} e1 {}ch {}×{}",
                fb.kernel, fb.project.c_out, fb.project.h_out, fb.project.w_out
            ));
        }
        for (s, st) in self.stages.iter().enumerate() {
            let list = |f: &dyn Fn(&super::MbConvSpec) -> usize| {
                let v: Vec<String> = st.layers.iter().map(|l| f(l).to_string()).collect();
                v.join(",")
            };
            out.push(format!(
                "stage {}: d={} k=[{}] e=[{}] {}ch {}×{}",
                s + 1,
                st.layers.len(),
                list(&|l| l.kernel),
                list(&|l| l.expansion),
                st.out_c,
                st.out_h,
                st.out_w
            ));
        }
        for (j, ex) in self.exits.iter().enumerate() {
            let head = if ex.enabled {
                head_text(&ex.head)
            } else {
                "off".to_string()
            };
            let t = match (ex.enabled, ex.threshold) {
                (true, Some(t)) => format!(" | t={t}"),
                _ => String::new(),
            };
            out.push(format!(
                "exit {} (after stage {}): {head}{t}",
                j + 1,
                ex.position + 1
            ));
        }
        let f = &self.final_head;
        let mut parts = Vec::new();
        if let Some(e) = &f.expand {
            parts.push(format!("1×1 →{}", e.c_out));
        }
        parts.push("GAP".into());
        if let Some(m) = &f.feature_mix {
            parts.push(format!("1×1 →{}", m.c_out));
        }
        parts.push(format!(
            "linear {}→{}",
            f.classifier.in_features, f.classifier.out_features
        ));
        out.push(format!("final: {}", parts.join(" → ")));
        out
    }
}

/// Text of one exit head.
pub fn head_text(head: &ExitHead) -> String {
    match head {
        ExitHead::Branch { modules, .. } => {
            let m: Vec<String> = modules
                .iter()
                .map(|m| {
                    format!(
                        "{} k{} ext{} ×{}{}",
                        m.kind,
                        m.kernel,
                        m.resize,
                        m.width,
                        if m.max_pool { " +pool" } else { "" }
                    )
                })
                .collect();
            m.join(" → ")
        }
        ExitHead::Edanas { expand, mix, .. } => {
            format!("edanas 1×1 →{} GAP 1×1 →{}", expand.c_out, mix.c_out)
        }
        ExitHead::Nachos { convs, .. } => {
            let f: Vec<String> = convs.iter().map(|c| c.c_out.to_string()).collect();
            format!("nachos 3×3 convs [{}] GAP", f.join(","))
        }
        ExitHead::Sdn { pool, .. } => format!("sdn avgpool {pool}×{pool}"),
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::arch::Architecture;
    use crate::engine::genome::default_genome;
    use crate::engine::space::{Method, SearchSpace};

    #[test]
    fn summary_lines_read_well() {
        let b = SearchSpace::browser_default();
        let a = Architecture::decode(&b, Method::Aebnas, &default_genome(&b)).unwrap();
        let s = a.summary();
        assert!(s.contains("stage 2: d=2 k=[5,3] e=[3,3] 24ch 7×7"), "{s}");
        assert!(
            s.contains("exit 2 (after stage 2): conv k3 ext8 ×1 +pool → dwsep k3 ext8 ×1\n"),
            "{s}"
        );
        assert!(s.contains("exit 3 (after stage 3): off"), "{s}");
    }
}
