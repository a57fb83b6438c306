//! Integration tests of `aebnas macs` and `aebnas space` through the built binary.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use std::process::Command;

fn aebnas(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_aebnas"))
        .args(args)
        .output()
        .expect("run aebnas");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn u(v: &Value, k: &str) -> u64 {
    v[k].as_u64().unwrap_or_else(|| panic!("field {k} in {v}"))
}

/// Rows agree with the conv formula and the exit costs equal the sums of their parts.
fn check_macs_json(json: &str) {
    let v: Value = serde_json::from_str(json).unwrap();
    let layers = v["layers"].as_array().unwrap();
    assert!(!layers.is_empty());
    let mut backbone = 0u64;
    for r in layers {
        let (k, g) = (u(r, "kernel"), u(r, "groups"));
        let h = (u(r, "h_in") + 2 * u(r, "padding") - k) / u(r, "stride") + 1;
        assert_eq!(u(r, "h_out"), h, "{r}");
        let macs = k * k * (u(r, "c_in") / g) * u(r, "c_out") * u(r, "h_out") * u(r, "w_out");
        assert_eq!(u(r, "macs"), macs, "{r}");
        assert!(r["name"].is_string() && r["kind"].is_string() && !r["part"].is_null());
        if r["part"] == "stem" || r["part"].get("stage").is_some() {
            backbone += macs;
        }
    }
    assert_eq!(u(&v, "total_backbone_macs"), backbone);
    let sum = |pred: &dyn Fn(&Value) -> bool| -> f64 {
        layers
            .iter()
            .filter(|r| pred(&r["part"]))
            .map(|r| u(r, "macs") as f64)
            .sum()
    };
    let upto = |pos: u64| {
        sum(&|p| {
            *p == "stem"
                || p.get("stage")
                    .and_then(Value::as_u64)
                    .is_some_and(|s| s <= pos)
        })
    };
    let mut heads = 0.0;
    let exits = v["exits"].as_array().unwrap();
    for e in exits {
        assert!(e["position"].is_u64() && e["enabled"].is_boolean());
        if e["final"] == true {
            let f = sum(&|p| *p == "final");
            assert_eq!(e["cost_taken_head"].as_f64().unwrap(), backbone as f64 + f);
            assert_eq!(
                e["cost_cumulative"].as_f64().unwrap(),
                backbone as f64 + f + heads
            );
        } else if e["enabled"] == true {
            let j = u(e, "index");
            let h = sum(&|p| p.get("exit").and_then(Value::as_u64) == Some(j));
            heads += h;
            let b = upto(u(e, "position"));
            assert_eq!(e["cost_taken_head"].as_f64().unwrap(), b + h);
            assert_eq!(e["cost_cumulative"].as_f64().unwrap(), b + heads);
        } else {
            assert!(e["cost_cumulative"].is_null() && e["cost_taken_head"].is_null());
        }
    }
}

#[test]
fn macs_json_default_and_sampled_genomes() {
    let (ok, out, err) = aebnas(&["macs", "--genome", "default", "--json"]);
    assert!(ok, "{err}");
    check_macs_json(&out);
    for (space, method) in [
        ("browser", "aebnas"),
        ("paper", "aebnas"),
        ("browser", "edanas"),
        ("browser", "nachos"),
        ("paper", "sdn"),
    ] {
        let (ok, out, err) = aebnas(&[
            "space", "--space", space, "--method", method, "--sample", "5", "--seed", "3",
        ]);
        assert!(ok, "{err}");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 5);
        for g in lines {
            let (ok, out, err) = aebnas(&[
                "macs", "--space", space, "--method", method, "--genome", g, "--json",
            ]);
            assert!(ok, "{err}");
            check_macs_json(&out);
        }
    }
}

#[test]
fn text_outputs() {
    let (ok, out, _) = aebnas(&["macs", "--genome", "default"]);
    assert!(
        ok && out.contains("stage1.layer0.dw") && out.contains("final.linear"),
        "{out}"
    );
    let (ok, out, _) = aebnas(&["space", "--space", "paper"]);
    assert!(ok && out.contains("genome length:  94"), "{out}");
    let (ok, out, _) = aebnas(&["space", "--json"]);
    assert!(ok);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["genome_length"], 65);
    // Same seed, same genomes.
    let a = aebnas(&["space", "--sample", "3", "--seed", "9"]).1;
    assert_eq!(a, aebnas(&["space", "--sample", "3", "--seed", "9"]).1);
}

#[test]
fn bad_genomes_fail_with_one_line() {
    for bad in ["1,2,x", "1,2,3", "default,1"] {
        let (ok, out, err) = aebnas(&["macs", "--genome", bad]);
        assert!(!ok && out.is_empty(), "{bad}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(err.starts_with("error: "), "{err}");
    }
    let (_, g, _) = aebnas(&["space", "--sample", "1"]);
    let mut genes: Vec<String> = g.trim().split(',').map(String::from).collect();
    genes[9] = "7".into();
    let (ok, _, err) = aebnas(&["macs", "--genome", &genes.join(",")]);
    assert!(!ok);
    assert_eq!(
        err.trim_end(),
        "error: gene 9 (stage 2 layer 1 kernel) = 7 is out of range 0..3"
    );
    let (ok, _, err) = aebnas(&["macs", "--genome", "default", "--space", "huge"]);
    assert!(!ok && err.contains("unknown search space"), "{err}");
}
