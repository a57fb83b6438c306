//! `aebnas space`: the search space's choice sets, the genome length, random genomes.

use super::error::CliError;
use crate::engine::arch::Architecture;
use crate::engine::genome::{default_genome, Genome, GenomeLayout};
use crate::engine::rng::Rng;
use crate::engine::space::{Method, SearchSpace};

/// Arguments of `aebnas space`.
#[derive(clap::Args, Debug)]
pub struct SpaceArgs {
    /// Search-space preset: browser (Fashion-MNIST scale) or paper (OFA-MobileNetV3).
    #[arg(long, default_value = "browser")]
    pub space: String,
    /// Method whose genes are sampled (aebnas, edanas, nachos, sdn, random).
    #[arg(long, default_value = "aebnas")]
    pub method: String,
    /// Print N random valid genomes, one per line, instead of the choice sets.
    #[arg(long)]
    pub sample: Option<usize>,
    /// Seed for --sample.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
}

/// Parses `--genome`: `default` (the space's default genome) or comma-separated integers,
/// validated against `space`.
pub fn parse_genome(text: &str, space: &SearchSpace) -> Result<Genome, CliError> {
    let g = if text.trim() == "default" {
        default_genome(space)
    } else {
        text.parse::<Genome>().map_err(|e| e.to_string())?
    };
    g.validate(space).map_err(|e| e.to_string())?;
    Ok(g)
}

pub fn run(args: SpaceArgs) -> Result<(), CliError> {
    let space = SearchSpace::by_name(&args.space).map_err(|e| e.to_string())?;
    let method: Method = args.method.parse()?;
    if let Some(n) = args.sample {
        let mut rng = Rng::new(args.seed);
        let genomes: Vec<Genome> = (0..n)
            .map(|_| Genome::sample(&space, method, &mut rng))
            .collect();
        for g in &genomes {
            Architecture::decode(&space, method, g).map_err(|e| e.to_string())?;
        }
        if args.json {
            println!(
                "{}",
                serde_json::to_string(&genomes).map_err(|e| e.to_string())?
            );
        } else {
            for g in genomes {
                println!("{g}");
            }
        }
        return Ok(());
    }
    let layout = GenomeLayout::of(&space);
    let card = layout.cardinalities(&space);
    let searched = layout.searched(&space, method);
    if args.json {
        let genes: Vec<_> = (0..layout.len())
            .map(|i| {
                serde_json::json!({
                    "index": i, "name": layout.describe(i), "choices": card[i], "searched": searched[i],
                })
            })
            .collect();
        let out = serde_json::json!({
            "space": space,
            "method": method,
            "genome_length": layout.len(),
            "genes": genes,
            "default_genome": default_genome(&space),
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?
        );
        return Ok(());
    }
    print!("{}", describe(&space));
    println!(
        "genome length:  {} ({} searched by {method})",
        layout.len(),
        searched.iter().filter(|&&s| s).count()
    );
    println!("default genome: {}", default_genome(&space));
    Ok(())
}

/// The choice sets as text, one per line.
pub fn describe(s: &SearchSpace) -> String {
    backbone_rows(s)
        .into_iter()
        .chain(exit_rows(s))
        .map(|(k, v)| format!("{k:<16}{v}\n"))
        .collect()
}

fn list(v: &[usize]) -> String {
    v.iter()
        .map(|x| x.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Space, input, stem, stages and the backbone's choice sets.
fn backbone_rows(s: &SearchSpace) -> Vec<(String, String)> {
    let mut rows = vec![
        (
            "space:".to_string(),
            format!(
                "{} ({} ch, native {}×{}, {} classes)",
                s.name, s.in_channels, s.native_res, s.native_res, s.classes
            ),
        ),
        ("resolutions:".into(), list(&s.resolutions)),
        (
            "stem:".into(),
            format!(
                "{0}×{0} s{1} → {2}ch {3}",
                s.stem.kernel, s.stem.stride, s.stem.c_out, s.stem.act
            ),
        ),
    ];
    if let Some(fb) = &s.first_block {
        rows.push((
            "first block:".into(),
            format!("MBConv e1 k{} → {}ch {}", fb.kernel, fb.c_out, fb.act),
        ));
    }
    for (i, st) in s.stages.iter().enumerate() {
        let se = if st.se { " +SE" } else { "" };
        rows.push((
            format!("stage {}:", i + 1),
            format!("{}ch stride {} {}{se}", st.width, st.stride, st.act),
        ));
    }
    rows.push(("depths:".into(), list(&s.depths)));
    rows.push(("kernels:".into(), list(&s.kernels)));
    rows.push(("expansions:".into(), list(&s.expansions)));
    rows
}

/// Exit positions, thresholds, the branch choice sets, the final and baseline heads.
fn exit_rows(s: &SearchSpace) -> Vec<(String, String)> {
    let pos: Vec<usize> = s.exit_positions.iter().map(|p| p + 1).collect();
    let t: Vec<String> = s
        .thresholds
        .iter()
        .map(|t| t.map_or("off".into(), |v| v.to_string()))
        .collect();
    let b = &s.exit_branch;
    let kinds: Vec<String> = b.kinds.iter().map(|k| k.to_string()).collect();
    let f = &s.final_head;
    let h = &s.baseline_heads;
    [
        ("exits after:", format!("stages {}", list(&pos))),
        ("thresholds:", t.join(", ")),
        ("branch kinds:", kinds.join(", ")),
        ("branch resize:", list(&b.resize)),
        ("branch kernels:", list(&b.kernels)),
        ("branch widths:", list(&b.widths)),
        ("branch pool:", "no, yes (2×2 max-pool)".into()),
        ("branch modules:", format!("1..={}", b.max_modules)),
        (
            "final head:",
            format!(
                "{}GAP{} → linear → {}",
                f.expand.map_or(String::new(), |e| format!("1×1 →{e} → ")),
                f.feature_mix
                    .map_or(String::new(), |m| format!(" → 1×1 →{m}")),
                s.classes
            ),
        ),
        (
            "edanas head:",
            format!(
                "1×1 →{}C, GAP, 1×1 →{}C, linear",
                h.edanas_expand, h.edanas_mix
            ),
        ),
        (
            "nachos head:",
            format!("3×3 convs {}, GAP, linear", list(&h.nachos_filters)),
        ),
        ("sdn head:", format!("avg-pool {0}×{0}, linear", h.sdn_pool)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}
