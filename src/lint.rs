//! Practice lints (SPEC 8): the known ways teams misuse OKRs and KPIs, caught as of a date.
//! Input is the validated model and its scorecard; output is diagnostics at each lint's
//! configured severity (`goalpost.toml [lints]`), located at the item they are about.

use crate::config::Config;
use crate::diag::{Code, Diagnostic};
use crate::model::*;
use crate::score::{KpiStatus, Scorecard, Trend, observations};
use std::collections::BTreeMap;

/// Most objectives a team should have in one period.
pub const MAX_OBJECTIVES: usize = 5;
/// Fewest and most key results an objective should have.
pub const KR_RANGE: (usize, usize) = (2, 5);
/// Most KPIs a team should track.
pub const MAX_KPIS: usize = 8;
/// Verbs that describe output (work done) rather than outcome.
pub const OUTPUT_VERBS: &[&str] = &[
    "launch",
    "ship",
    "build",
    "release",
    "implement",
    "create",
    "write",
];

/// Runs every lint that is not turned off.
pub fn lint(goals: &Goals, card: &Scorecard, config: &Config) -> Vec<Diagnostic> {
    let mut l = Linter {
        config,
        out: Vec::new(),
    };
    let t = card.as_of;
    let open = |o: &Objective| o.period.contains(t);
    let closed = |o: &Objective| t > o.period.end;

    // objective-count: per team and period.
    let mut per_team_period: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for (i, o) in goals.objectives.iter().enumerate() {
        per_team_period
            .entry((&o.team, &o.period.name))
            .or_default()
            .push(i);
    }
    for ((team, period), objs) in &per_team_period {
        if objs.len() > MAX_OBJECTIVES {
            let extra = &goals.objectives[objs[MAX_OBJECTIVES]];
            l.push(Code::ObjectiveCount, extra.span,
                format!("team `{team}` has {} objectives in {period}; at most {MAX_OBJECTIVES} keep a team focused", objs.len()),
                "a long list of objectives means nothing is a priority: keep the few that matter most this period, and move steady-state work to KPIs");
        }
    }

    for (i, o) in goals.objectives.iter().enumerate() {
        let s = &card.objectives[i];
        let n = o.key_results.len();
        if n < KR_RANGE.0 || n > KR_RANGE.1 {
            let (why, help) = if n < KR_RANGE.0 {
                (
                    "one measure rarely captures an objective, and a single number invites gaming it",
                    "add key results that measure the objective from other sides (2–5 in all)",
                )
            } else {
                (
                    "with this many, no single result matters and the team spreads thin",
                    "keep the few key results (at most 5) that best show the objective was reached; track the rest as KPIs",
                )
            };
            l.push(
                Code::KrCount,
                o.span,
                format!(
                    "objective `{}` has {n} key result{}: {why}",
                    o.reference(),
                    if n == 1 { "" } else { "s" }
                ),
                help,
            );
        }
        if n > 0 && o.key_results.iter().all(|k| k.kind == KrMeasure::Milestone) {
            l.push(Code::AllMilestones, o.span,
                format!("every key result of `{}` is a milestone: they list work to do, not the change it should cause", o.reference()),
                "turn at least one into a metric key result: what number moves when this work succeeds? (start → target)");
        }
        for (kr, ks) in o.key_results.iter().zip(&s.key_results) {
            if kr.kind == KrMeasure::Milestone && starts_with_output_verb(&kr.title) {
                l.push(Code::TaskLikeKr, kr.span,
                    format!("key result `{}/{}` reads as a task (\"{}\")", o.reference(), kr.id, crate::text::truncate(&kr.title, 60)),
                    "shipping is output; a key result is the outcome the launch should produce: rewrite it as a measurable change, such as \"raise self-serve upgrades from 20 to 35 a week\"");
            }
            // A `kpi:` key result takes no check-ins: its staleness is the KPI's, reported
            // once, on the KPI.
            if ks.stale && kr.kpi.is_none() {
                let since = ks.last_checkin.map_or("no check-in yet".to_owned(), |d| {
                    format!("last check-in {d}")
                });
                l.push(Code::StaleCheckin, kr.span,
                    format!("key result `{}/{}` is stale: {since}, more than {} days before {t}", o.reference(), kr.id, config.stale_days),
                    "check in regularly, even when nothing moved: a score is only as good as its latest observation");
            }
            if closed(o) {
                let inside = observations(kr, goals)
                    .iter()
                    .any(|c| o.period.contains(c.date));
                if !inside {
                    l.push(Code::UnscoredPeriod, kr.span,
                        format!("key result `{}/{}` has no check-in inside {}, which has closed", o.reference(), kr.id, o.period.name),
                        "an OKR that is never scored teaches nothing: record the final value (with its real date inside the period) and review the result");
                }
            }
        }
        if open(o) {
            for &k in &o.guardrails {
                if card.kpi(k).status == KpiStatus::Critical {
                    let kpi = goals.kpi(k);
                    l.push(Code::GuardrailBreached, o.span,
                        format!("guardrail `{}` of objective `{}` is critical", kpi.reference(), o.reference()),
                        "a guardrail is the health the team promised not to trade away: pause and restore it before pushing the objective further");
                }
            }
        }
    }

    // too-many-kpis: per team.
    let mut per_team: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, k) in goals.kpis.iter().enumerate() {
        per_team.entry(&k.team).or_default().push(i);
    }
    for (team, ks) in &per_team {
        if ks.len() > MAX_KPIS {
            l.push(Code::TooManyKpis, goals.kpis[ks[MAX_KPIS]].span,
                format!("team `{team}` tracks {} KPIs; beyond {MAX_KPIS}, tracking everything means watching nothing", ks.len()),
                "keep the vital few health metrics for this team; move the rest to dashboards or to the teams that own them");
        }
    }

    // KPI lints: staleness and worsening KPIs nobody works on.
    // The open key results that take their values from each KPI.
    let mut open_krs_of: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for o in goals.objectives.iter().filter(|o| open(o)) {
        for kr in &o.key_results {
            if let Some(k) = kr.kpi {
                open_krs_of.entry(k.index()).or_default().push(format!(
                    "`{}/{}`",
                    o.reference(),
                    kr.id
                ));
            }
        }
    }
    for (i, k) in goals.kpis.iter().enumerate() {
        let ks = &card.kpis[i];
        if ks.stale {
            let last = ks.last_checkin.map_or(String::new(), |d| d.to_string());
            let krs = match open_krs_of.get(&i).map(Vec::as_slice) {
                None | Some([]) => String::new(),
                Some([one]) => format!("; key result {one} takes its value from it"),
                Some(many) => format!(
                    "; key results {} take their values from it",
                    many.join(", ")
                ),
            };
            l.push(
                Code::StaleCheckin,
                k.span,
                format!(
                    "KPI `{}` is stale: last check-in {last}, more than {} days ({}) before {t}{krs}",
                    k.reference(),
                    k.cadence.days(),
                    k.cadence.as_str()
                ),
                "record the latest value, or set `cadence:` to how often it is really measured",
            );
        }
        if ks.trend == Some(Trend::Worsening) && !open_krs_of.contains_key(&i) {
            l.push(Code::PromoteKpi, k.span,
                format!("KPI `{}` has worsened three check-ins in a row and no open key result works on it", k.reference()),
                format!("consider a key result this period that takes its value from it (`kpi: {}`), with a target that restores it", k.reference()));
        }
    }

    // sandbagging: per team, consecutive closed periods where every aspirational objective hit 1.0.
    type PeriodKey<'a> = (Date, Date, &'a str);
    let mut by_team: BTreeMap<&str, BTreeMap<PeriodKey, Vec<usize>>> = BTreeMap::new();
    for (i, o) in goals.objectives.iter().enumerate() {
        if closed(o) && o.commitment == Commitment::Aspirational {
            by_team
                .entry(&o.team)
                .or_default()
                .entry((o.period.start, o.period.end, &o.period.name))
                .or_default()
                .push(i);
        }
    }
    for (team, periods) in &by_team {
        let maxed: Vec<(&str, bool, usize)> = periods
            .iter()
            .map(|((_, _, name), objs)| {
                (
                    *name,
                    objs.iter().all(|&i| card.objectives[i].score >= 1.0 - 1e-9),
                    objs[0],
                )
            })
            .collect();
        for pair in maxed.windows(2) {
            if let [(p1, true, _), (p2, true, first)] = pair {
                l.push(Code::Sandbagging, goals.objectives[*first].span,
                    format!("team `{team}` scored 1.0 on every aspirational objective in both {p1} and {p2}"),
                    "aspirational goals that are always fully met were set too low; about 0.7 is a good score. Aim higher next period, or mark truly must-hit goals `commitment: committed`");
            }
        }
    }
    l.out
}

/// Whether a title's first word is an output verb (in any simple inflection).
pub fn starts_with_output_verb(title: &str) -> bool {
    let first: String = title
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect::<String>()
        .to_lowercase();
    OUTPUT_VERBS.iter().any(|v| {
        first == *v
            || first
                .strip_prefix(v)
                .is_some_and(|rest| ["s", "es", "ed", "d", "ing", "ped", "ping"].contains(&rest))
            || (*v == "write" && first == "writing")
            || (*v == "create" && first == "creating")
            || (*v == "build" && first == "built")
            || (*v == "write" && (first == "wrote" || first == "written"))
    })
}

struct Linter<'c> {
    config: &'c Config,
    out: Vec<Diagnostic>,
}

impl Linter<'_> {
    fn push(&mut self, code: Code, span: Span, message: String, help: impl Into<String>) {
        if let Some(sev) = self.config.severity(code) {
            let mut d = Diagnostic::new(code, span, message).help(help);
            d.severity = sev;
            self.out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_verbs() {
        for t in [
            "Launch the pricing page",
            "Shipped v2",
            "Build a guide",
            "releases monthly",
            "Implementing SSO",
            "Write docs",
            "Creating a wiki",
        ] {
            assert!(starts_with_output_verb(t), "{t}");
        }
        for t in [
            "Raise conversion",
            "Builder program reaches 50 partners",
            "Launchpad adoption doubles",
            "Writers' guild formed",
        ] {
            assert!(!starts_with_output_verb(t), "{t}");
        }
    }
}
