//! Bytes → one goal file through the whole pipeline: parse and convert (any UTF-8 text, a
//! superset of what `load` lets through), validate, score at a fixed date, lint, render every
//! report format and the diagnostics (spans are input-derived and the renderer slices text with them). Any panic,
//! hang or runaway allocation is a bug: goalpost validates untrusted pull requests.
#![no_main]

use goalpost::{
    Config, Date, SourceFile, Sources, StatusView, Thresholds, csv, diagnostics, html, json, markdown,
    score, table,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (raw, mut diags) = goalpost::parse_file(0, text);
    if let Some(raw) = raw {
        let config = Config::default();
        let (goals, vdiags) = goalpost::validate(&[(0, raw)], &config);
        // Only goals that validated can be scored: the type refuses the others.
        let valid = goalpost::Valid::of(&goals, &vdiags);
        diags.extend(vdiags);
        if let (Some(as_of), Some(valid)) = (Date::parse("2026-11-15"), valid) {
            let card = score(valid, as_of, Thresholds::from(&config));
            // Scores are fractions whatever the (finite) input: NaN or 1e308 is a bug.
            let fraction = |x: f64| (0.0..=1.0).contains(&x);
            for o in &card.objectives {
                assert!(fraction(o.score) && fraction(o.expected), "{o:?}");
                assert!(o.key_results.iter().all(|k| fraction(k.progress)), "{o:?}");
            }
            // Lints and every renderer read the scorecard: they must not panic either.
            diags.extend(goalpost::lint(&goals, &card, &config));
            let objectives: Vec<_> = goals.objective_ids().collect();
            let kpis: Vec<_> = goals.kpi_ids().collect();
            let view = StatusView::new(&goals, &card, &objectives, &kpis);
            let mut json = Vec::new();
            let _ = json::write_status(&mut json, &view);
            let _ = csv::status(&view);
            let _ = markdown::status(&view, 65_536);
            let _ = markdown::report(&view, 65_536);
            let _ = html::report(&view, "fuzz");
            for tree in [false, true] {
                let opts = table::TableOptions {
                    color: true,
                    width: Some(80),
                    tree,
                };
                let _ = table::status(&view, opts);
            }
        }
    }
    let sources = Sources {
        files: vec![SourceFile {
            path: "goals/x.yaml".to_owned(),
            text: text.to_owned(),
        }],
    };
    let _ = diagnostics::human(&diags, &sources, false, 0);
    let _ = diagnostics::json(&diags, &sources, diags.is_empty());
});
