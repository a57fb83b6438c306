//! `aebnas macs`: the per-layer MAC table and the per-exit costs of a genome.

use super::error::CliError;
use super::space::parse_genome;
use crate::engine::arch::Architecture;
use crate::engine::cost::{CostReport, Part};
use crate::engine::space::{Method, SearchSpace};

/// Arguments of `aebnas macs`.
#[derive(clap::Args, Debug)]
pub struct MacsArgs {
    /// Genome: comma-separated integers, or `default`.
    #[arg(long)]
    pub genome: String,
    /// Search-space preset: browser or paper.
    #[arg(long, default_value = "browser")]
    pub space: String,
    /// Method (decides the exit heads): aebnas, edanas, nachos, sdn, random.
    #[arg(long, default_value = "aebnas")]
    pub method: String,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
}

fn part_name(p: Part) -> String {
    match p {
        Part::Stem => "stem".into(),
        Part::Stage(i) => format!("stage{}", i + 1),
        Part::Exit(j) => format!("exit{}", j + 1),
        Part::Final => "final".into(),
    }
}

pub fn run(args: MacsArgs) -> Result<(), CliError> {
    let space = SearchSpace::by_name(&args.space).map_err(|e| e.to_string())?;
    let method: Method = args.method.parse()?;
    let genome = parse_genome(&args.genome, &space)?;
    let arch = Architecture::decode(&space, method, &genome).map_err(|e| e.to_string())?;
    let rep = arch.cost_report();
    if args.json {
        let costs = arch.exit_costs();
        let out = serde_json::json!({
            "space": space.name,
            "method": method,
            "genome": genome,
            "canonical_genome": arch.encode(),
            "resolution": arch.input.1,
            "summary": arch.summary_lines(),
            "layers": rep.layers,
            "exits": rep.exits,
            "exit_costs": costs,
            "stem_macs": rep.stem_macs,
            "stage_macs": rep.stage_macs,
            "total_backbone_macs": rep.total_backbone_macs,
            "final_head_macs": rep.final_head_macs,
            "params": rep.params.iter().map(|(p, n)| serde_json::json!({"part": p, "params": n})).collect::<Vec<_>>(),
            "total_params": rep.total_params,
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?
        );
        return Ok(());
    }
    println!("{}\n", arch.summary());
    print!("{}", table(&rep));
    Ok(())
}

/// The aligned text table: layers, then per-exit costs, then totals.
pub fn table(rep: &CostReport) -> String {
    let mut o = String::new();
    let w = rep
        .layers
        .iter()
        .map(|r| r.name.len())
        .max()
        .unwrap_or(4)
        .max(4);
    o.push_str(&format!(
        "{:<w$} {:<9} {:>5} {:>5} {:>2} {:>2} {:>2} {:>5} {:>9} {:>9} {:>11} {:>9} {}\n",
        "name", "kind", "c_in", "c_out", "k", "s", "p", "g", "in", "out", "MACs", "params", "part"
    ));
    for r in &rep.layers {
        o.push_str(&format!(
            "{:<w$} {:<9} {:>5} {:>5} {:>2} {:>2} {:>2} {:>5} {:>9} {:>9} {:>11} {:>9} {}\n",
            r.name,
            r.kind,
            r.c_in,
            r.c_out,
            r.kernel,
            r.stride,
            r.padding,
            r.groups,
            format!("{}×{}", r.h_in, r.w_in),
            format!("{}×{}", r.h_out, r.w_out),
            r.macs,
            r.params,
            part_name(r.part)
        ));
    }
    o.push_str(&format!(
        "\n{:<6} {:<14} {:>8} {:>12} {:>12} {:>15} {:>15}\n",
        "exit", "after", "enabled", "backbone", "head", "cum. cost", "taken-head cost"
    ));
    let opt = |v: Option<f64>| v.map_or("-".to_string(), |x| format!("{x:.0}"));
    for e in &rep.exits {
        let name = if e.is_final {
            "final".to_string()
        } else {
            format!("{}", e.index + 1)
        };
        o.push_str(&format!(
            "{:<6} {:<14} {:>8} {:>12} {:>12} {:>15} {:>15}\n",
            name,
            format!("stage {}", e.position + 1),
            if e.enabled { "yes" } else { "no" },
            e.backbone_macs,
            if e.enabled {
                e.head_macs.to_string()
            } else {
                "-".into()
            },
            opt(e.cost_cumulative),
            opt(e.cost_taken_head)
        ));
    }
    let m = |x: u64| x as f64 / 1e6;
    o.push_str(&format!(
        "\nbackbone MACs: {} ({:.3} M), final classifier: {}, params: {} (BN excluded)\n",
        rep.total_backbone_macs,
        m(rep.total_backbone_macs),
        rep.final_head_macs,
        rep.total_params
    ));
    o.push_str("MACs of conv and linear layers only (BN, activations, pooling, resize: 0)\n");
    o
}
