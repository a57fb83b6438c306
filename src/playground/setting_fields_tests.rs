use super::*;

#[test]
fn every_field_round_trips_its_own_text() {
    let mut s = Settings {
        tuning: Some(TuningRule::MaxAccuracy),
        predictor: Some(SurrogateKind::Ridge),
        shipped_supernet: false,
        workers: 2,
        ..Settings::default()
    };
    s.method = Method::Nachos;
    for f in Field::ALL {
        let text = f.format(&s);
        let mut t = Settings::default();
        f.set(&mut t, &text)
            .unwrap_or_else(|e| panic!("{f:?}: {e}"));
        assert_eq!(f.format(&t), text, "{f:?}");
    }
}

#[test]
fn keys_and_controls_are_unique_and_limits_hold() {
    for (i, f) in Field::ALL.into_iter().enumerate() {
        assert_eq!(f as usize, i, "the table's rows follow Field::ALL");
    }
    let keys: Vec<_> = Field::ALL.iter().filter_map(|f| f.spec().key).collect();
    let controls: Vec<_> = Field::ALL.iter().map(|f| f.spec().control).collect();
    for list in [&keys, &controls] {
        let mut sorted = list.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), list.len(), "{list:?}");
    }
    let wild = Settings {
        n_doe: 1000,
        per_iter: 0,
        mac_target: f64::NAN,
        smoke_steps: 1,
        ..Settings::default()
    }
    .clamped();
    assert_eq!((wild.n_doe, wild.per_iter, wild.smoke_steps), (64, 1, 2));
    assert_eq!(wild.mac_target, Settings::default().mac_target);
    assert_eq!(Field::Doe.spec().limits, Some((1.0, 64.0)));
}

#[test]
fn bad_text_is_refused_and_a_method_brings_its_rule() {
    let mut s = Settings::default();
    let e = Field::Doe.set(&mut s, "many").unwrap_err();
    assert_eq!(e.to_string(), "'many' is not a valid Initial sample");
    assert!(Field::Backbone.set(&mut s, "borrowed").is_err());
    assert!(Field::Tuning.set(&mut s, "best").is_err());
    Field::Tuning.set(&mut s, "default").unwrap();
    assert_eq!(s.tuning, None);
    Field::Method.set(&mut s, "sdn").unwrap();
    assert_eq!((s.method, s.exit_rule), (Method::Sdn, ExitRule::MaxSoftmax));
    Field::MacTarget.set(&mut s, "600k").unwrap();
    assert_eq!(s.mac_target, 6.0e5);
}

/// Every flag the table names is a flag of `aebnas search`.
#[cfg(feature = "train")]
#[test]
fn the_table_s_flags_are_the_cli_s() {
    use clap::CommandFactory;
    let cli = crate::cli::Cli::command();
    let search = cli.find_subcommand("search").expect("aebnas search");
    let longs: Vec<String> = search
        .get_arguments()
        .filter_map(|a| a.get_long().map(|l| format!("--{l}")))
        .collect();
    for f in Field::ALL {
        if let Some(flag) = f.spec().flag {
            assert!(
                longs.iter().any(|l| l == flag),
                "{f:?}: {flag} not in {longs:?}"
            );
        }
    }
}

/// The README's settings table is the one the table writes (fix: paste the printed table
/// between the README's `<!-- settings-table -->` markers).
#[test]
fn the_readme_lists_the_table() {
    let readme = include_str!("../../README.md");
    let table = markdown_table();
    let block = format!("<!-- settings-table -->\n{table}<!-- /settings-table -->");
    assert!(
        readme.contains(&block),
        "README.md lacks this settings table:\n{table}"
    );
}
