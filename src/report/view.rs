//! The report view model: the rows every status-like output shows (table, Markdown, CSV,
//! JSON, HTML, `show`), computed once from the model and its scorecard. Formats only lay
//! these rows out, so a figure is added in one place and two formats cannot disagree about
//! it. Cells that need words (a value with its unit, thresholds, a trend) are made here, by
//! one formatter each; formats choose where to put them and pass repository text through
//! their own sanitiser (`crate::text::safe`).

use crate::attention;
use crate::model::*;
use crate::score::{
    Before, Forecast, KpiScore, KpiStatus, KrScore, ObjectiveScore, Scorecard, Status, Trend,
};
use crate::text::{fixed, num, percent, with_unit};

/// What a status-like report shows: the selected objectives (with their key results) and
/// KPIs, in output order.
pub struct StatusView<'a> {
    pub as_of: Date,
    pub goals: &'a Goals,
    pub objectives: Vec<ObjectiveRow<'a>>,
    pub kpis: Vec<KpiRow<'a>>,
    /// What needs someone among the selected items (SPEC 12), most severe first.
    pub attention: Vec<attention::Entry>,
    /// Objectives per status for each open period and team among the selected ones.
    pub open_summary: Vec<attention::TeamSummary>,
    /// The date the rows' `previous` figures are as of ([`StatusView::since`]).
    pub since: Option<Date>,
    /// The HTML section on how the teams plan and report (SPEC 14, rendered by `insights`),
    /// written at the end of the HTML report; `None` unless asked.
    pub(crate) insights_html: Option<String>,
    /// Upstream objectives next to the selected ones (SPEC 13): their parents in an upstream
    /// snapshot, and the vendored objectives whose parent is one of them (the roll-up), with
    /// figures from their snapshot. Shown in trees, never counted or listed as needing
    /// attention.
    pub upstream: Vec<ObjectiveRow<'a>>,
}

/// One objective and its figures.
pub struct ObjectiveRow<'a> {
    pub id: ObjectiveId,
    pub objective: &'a Objective,
    pub score: &'a ObjectiveScore,
    /// The objective it supports.
    pub parent: Option<&'a Objective>,
    pub guardrails: Vec<GuardrailCell<'a>>,
    pub key_results: Vec<KrRow<'a>>,
    /// The date the figures are as of.
    pub as_of: Date,
    /// Its figures as of the view's `since` date (SPEC 12), when asked for.
    pub previous: Option<&'a ObjectiveScore>,
}

/// A guardrail KPI of an objective and its health as of the objective's T_K (SPEC 5: a
/// closed objective's at its end), as scored ([`ObjectiveScore::guardrails`]).
pub struct GuardrailCell<'a> {
    pub kpi: &'a Kpi,
    pub status: KpiStatus,
}

impl GuardrailCell<'_> {
    pub fn breached(&self) -> bool {
        self.status == KpiStatus::Critical
    }
}

/// The annotations of an objective that human reports show beside its figures (table,
/// Markdown, HTML, `show`), made once here ([`ObjectiveRow::notes`]). Each format chooses
/// which to show, where and in what words and markup (its own escaping), and takes them
/// apart without `..`: a new note does not compile until every format decides.
pub struct ObjectiveNotes<'a> {
    /// Its guardrails that are critical.
    pub breached: Vec<Ref>,
    pub committed: bool,
    pub owner: Option<&'a str>,
    /// The objective it supports.
    pub parent: Option<Ref>,
    /// The period it was carried over from.
    pub carried_from: Option<&'a str>,
    /// Its `description`.
    pub description: Option<&'a str>,
    /// "dropped on 2026-11-20: reason" when it is dropped as of the view's date (its
    /// figures are those of the day before; SPEC 3.4).
    pub dropped: Option<String>,
    /// What changed since the view's `since` date ([`ObjectiveRow::change`]); empty when
    /// nothing did or no date was given.
    pub change: String,
}

/// The annotations of a key result that human reports show beside its figures, made once
/// here ([`KrRow::notes`]); taken apart without `..` as [`ObjectiveNotes`] are.
pub struct KrNotes<'a> {
    /// Its numbers in its unit, or a milestone's state ([`KrRow::measure`]).
    pub measure: String,
    /// The KPI it takes its values from.
    pub kpi: Option<Ref>,
    /// A milestone's due date.
    pub due: Option<Date>,
    pub confidence: Option<f64>,
    pub last_checkin: Option<Date>,
    pub stale: bool,
    /// The note of its latest check-in on or before the as-of date.
    pub last_note: Option<&'a str>,
    /// The forecast in its units ([`KrRow::forecast_words`]), written only when a format
    /// shows it (the table and HTML do not: working it out for every row cost 4 % of `status`).
    pub forecast: ForecastWords<'a>,
    /// What changed since the view's `since` date ([`KrRow::change`]).
    pub change: String,
    /// Its own owner, when it is not its objective's.
    pub owner: Option<&'a str>,
    /// Its cadence, when it is not the default (weekly).
    pub cadence: Option<KrCadence>,
    /// Its `description`.
    pub description: Option<&'a str>,
    /// Its revisions in force as of the view's date, oldest first, in words ("target 80 → 70
    /// on 2026-11-10: reason"; [`revision_lines`]).
    pub revisions: Vec<String>,
    /// "dropped on 2026-11-20: reason" when it is dropped as of the view's date.
    pub dropped: Option<String>,
}

/// The words of a drop: "dropped on 2026-11-20: the vendor left".
pub(crate) fn drop_words(d: DropAt<'_>) -> String {
    format!("dropped on {}: {}", d.date, d.reason)
}

/// A key result's revisions dated on or before `upto`, oldest first, each in words with the
/// figures it changed: "target 80 → 70 on 2026-11-10: the scope was cut".
pub(crate) fn revision_lines(kr: &KeyResult, upto: Date) -> Vec<String> {
    let Some(written) = kr.kind.bounds() else {
        return Vec::new();
    };
    let unit = kr.unit.as_deref();
    plan_steps(written, &kr.revisions)
        .into_iter()
        .take_while(|s| s.revision.date <= upto)
        .map(|s| {
            let (r, (start, target)) = (s.revision, s.before);
            let mut parts = Vec::new();
            if let Some(t) = r.target {
                parts.push(format!("target {} → {}", num(target), with_unit(t, unit)));
            }
            if let Some(n) = r.start {
                parts.push(format!("start {} → {}", num(start), with_unit(n, unit)));
            }
            format!("{} on {}: {}", parts.join(", "), r.date, r.reason)
        })
        .collect()
}

/// A key result's forecast in its units, worked out on [`ForecastWords::get`].
#[derive(Clone, Copy)]
pub struct ForecastWords<'a>(&'a KrRow<'a>);

impl ForecastWords<'_> {
    /// [`KrRow::forecast_words`].
    pub fn get(self) -> Option<String> {
        self.0.forecast_words()
    }
}

/// The annotations of a KPI that human reports show beside its figures ([`KpiRow::notes`]).
pub struct KpiNotes {
    pub last_checkin: Option<Date>,
    pub stale: bool,
    /// What changed since the view's `since` date ([`KpiRow::change`]).
    pub change: String,
}

/// What a `?` after a forecast means ([`KrRow::forecast_cell`]), said once for every human
/// format that shows one (issue 28: a mark nobody explains is noise).
pub(crate) const UNCERTAIN_FORECAST: &str = "the forecast could end on either side of the pass mark: its band (± one standard error) reaches both sides";

/// What a KPI's trend arrow and its sparkline look at (the score's trend compares the last
/// three check-ins), said where both are shown side by side.
pub(crate) const KPI_TREND_WINDOW: &str =
    "the trend compares the last 3 check-ins; the sparkline shows up to the last 12";

/// The marks a human report of `view` uses, in words: a `?` after a forecast when one is
/// shown, and the KPI trend window when KPIs are ([`UNCERTAIN_FORECAST`],
/// [`KPI_TREND_WINDOW`]). Each format prefixes and lays them out.
pub(crate) fn legend(view: &StatusView) -> Vec<(&'static str, &'static str)> {
    let mut lines = Vec::new();
    if view
        .objectives
        .iter()
        .flat_map(|o| &o.key_results)
        .any(|k| k.forecast_cell().ends_with('?'))
    {
        lines.push(("?", UNCERTAIN_FORECAST));
    }
    if !view.kpis.is_empty() {
        lines.push(("KPIs", KPI_TREND_WINDOW));
    }
    lines
}

/// One key result and its figures.
pub struct KrRow<'a> {
    pub objective: &'a Objective,
    pub kr: &'a KeyResult,
    pub score: &'a KrScore,
    /// The KPI it takes its values from.
    pub kpi: Option<&'a Kpi>,
    /// Its observations (its own, or its KPI's), all of them.
    pub observations: &'a [Checkin],
    pub as_of: Date,
    /// Its figures as of the view's `since` date (SPEC 12), when asked for.
    pub previous: Option<&'a KrScore>,
}

/// Where a period stands on the as-of date, for the order of human reports (SPEC 12).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    Open,
    NotStarted,
    Closed,
}

impl Phase {
    pub(crate) fn of(p: &Period, as_of: Date) -> Phase {
        if as_of < p.start {
            Phase::NotStarted
        } else if as_of > p.end {
            Phase::Closed
        } else {
            Phase::Open
        }
    }
}

/// One KPI and its figures.
pub struct KpiRow<'a> {
    pub id: KpiId,
    pub kpi: &'a Kpi,
    pub score: &'a KpiScore,
    pub as_of: Date,
    /// Its figures as of the view's `since` date (SPEC 12), when asked for.
    pub previous: Option<&'a KpiScore>,
}

/// From this many rows on, [`StatusView::new`] lists what needs attention on another core.
const PARALLEL_FROM: usize = 1024;

impl<'a> StatusView<'a> {
    /// The rows of the selected objectives and KPIs, in output order.
    pub fn new(
        goals: &'a Goals,
        card: &'a Scorecard,
        objectives: &[ObjectiveId],
        kpis: &[KpiId],
    ) -> StatusView<'a> {
        // The attention list on another core while this one builds the rows (at thousands
        // of teams, each is a few tens of milliseconds on one core).
        let lists = || {
            (
                attention::list(goals, card, objectives, kpis),
                attention::summary(goals, card, objectives),
            )
        };
        let apart = objectives.len() + kpis.len() >= PARALLEL_FROM && crate::par::cores() > 1;
        let ((attention, open_summary), rows) =
            crate::par::join(apart, lists, || Self::rows(goals, card, objectives, kpis));
        StatusView {
            attention,
            open_summary,
            ..rows
        }
    }

    /// [`StatusView::new`] without its attention list and summary.
    fn rows(
        goals: &'a Goals,
        card: &'a Scorecard,
        objectives: &[ObjectiveId],
        kpis: &[KpiId],
    ) -> StatusView<'a> {
        let chosen: std::collections::HashSet<ObjectiveId> = objectives.iter().copied().collect();
        let parents: std::collections::HashSet<ObjectiveId> = objectives
            .iter()
            .filter_map(|&id| goals.objective(id).parent)
            .collect();
        let upstream = card
            .upstream
            .iter()
            .filter(|s| {
                parents.contains(&s.id)
                    || goals
                        .objective(s.id)
                        .parent
                        .is_some_and(|p| chosen.contains(&p))
            })
            .map(|s| ObjectiveRow::new(goals, card, s.id))
            .collect();
        let objectives = objectives
            .iter()
            .map(|&id| ObjectiveRow::new(goals, card, id))
            .collect();
        let kpis = kpis
            .iter()
            .map(|&id| KpiRow::new(goals, card, id))
            .collect();
        StatusView {
            as_of: card.as_of,
            goals,
            objectives,
            kpis,
            attention: Vec::new(),
            open_summary: Vec::new(),
            since: None,
            insights_html: None,
            upstream,
        }
    }

    /// The upstream items of `status --upstream` (SPEC 13): the upstream objectives next to
    /// `view`'s (see [`StatusView::upstream`]) and the upstream KPIs the goals name, with no
    /// attention list or summary (upstream items are never counted here).
    pub fn of_upstream(view: &StatusView<'a>, card: &'a Scorecard) -> StatusView<'a> {
        let goals = view.goals;
        let objectives = view
            .upstream
            .iter()
            .map(|r| ObjectiveRow::new(goals, card, r.id))
            .collect();
        let kpis = card
            .upstream_kpis
            .iter()
            .map(|s| KpiRow::new(goals, card, s.id))
            .collect();
        StatusView {
            as_of: card.as_of,
            goals,
            objectives,
            kpis,
            attention: Vec::new(),
            open_summary: Vec::new(),
            since: None,
            insights_html: None,
            upstream: Vec::new(),
        }
    }

    /// Runs of objectives that share a period and team (objectives are sorted so), each run
    /// a section of a human report, in the order of SPEC 12: open periods first (by end
    /// date), then those not started (by start), then closed ones (most recent first); teams
    /// in name order within a period, and a team's objectives in file order (the order a team
    /// writes them in is its priority). JSON and CSV keep `objectives`' order instead.
    pub fn sections(&self) -> Vec<Vec<&ObjectiveRow<'a>>> {
        let mut runs = self.runs();
        runs.sort_by_key(|run| {
            let p = &run[0].objective.period;
            match Phase::of(p, self.as_of) {
                Phase::Open => (0, self.as_of.days_until(p.end)),
                Phase::NotStarted => (1, self.as_of.days_until(p.start)),
                Phase::Closed => (2, p.end.days_until(self.as_of)),
            }
        });
        runs
    }

    /// Runs of objectives that share a period and team, in `objectives`' order.
    fn runs(&self) -> Vec<Vec<&ObjectiveRow<'a>>> {
        let rows = &self.objectives;
        let mut out = Vec::new();
        let mut start = 0;
        for n in 1..=rows.len() {
            let same = n < rows.len() && {
                let (a, b) = (rows[start].objective, rows[n].objective);
                a.period.name == b.period.name && a.team == b.team
            };
            if !same {
                let mut run: Vec<&ObjectiveRow<'a>> = rows[start..n].iter().collect();
                run.sort_by_key(|r| (r.objective.span.file, r.objective.span.start));
                out.push(run);
                start = n;
            }
        }
        out
    }

    /// Gives every row its figures as of `before.as_of` (the same goals scored at an earlier
    /// date), for "what changed since" (SPEC 12).
    pub fn since(&mut self, before: &'a Before, now: &'a Scorecard) {
        self.since = Some(before.as_of);
        for o in &mut self.objectives {
            o.since(before, now);
        }
        for k in &mut self.kpis {
            k.previous = Some(before.kpi(k.id));
        }
    }

    /// Keeps the rows `objective`, `kr` and `kpi` accept (`status --attention`, `--status`):
    /// an objective row stays when it is accepted or keeps a key result, with only the key
    /// results accepted.
    pub fn keep(
        &mut self,
        objective: impl Fn(&ObjectiveRow<'a>) -> bool,
        kr: impl Fn(&KrRow<'a>) -> bool,
        kpi: impl Fn(&KpiRow<'a>) -> bool,
    ) {
        self.objectives.retain_mut(|o| {
            let whole = objective(o);
            o.key_results.retain(&kr);
            whole || !o.key_results.is_empty()
        });
        self.kpis.retain(kpi);
    }

    /// Runs of KPIs of one team.
    pub fn kpi_sections(&self) -> Vec<&[KpiRow<'a>]> {
        let rows = &self.kpis;
        let mut out = Vec::new();
        let mut start = 0;
        for n in 1..=rows.len() {
            if n == rows.len() || rows[n].kpi.team != rows[start].kpi.team {
                out.push(&rows[start..n]);
                start = n;
            }
        }
        out
    }

    /// Statuses of the objectives, of their key results, and of the KPIs, with counts, in
    /// the order summaries show them.
    pub fn summary(&self) -> Summary {
        let objectives = count(&Status::ALL, self.objectives.iter().map(|o| o.score.status));
        let key_results = count(
            &Status::ALL,
            self.objectives
                .iter()
                .flat_map(|o| o.key_results.iter().map(|k| k.score.status)),
        );
        let kpis = count(&KPI_ORDER, self.kpis.iter().map(|k| k.score.status));
        Summary {
            objectives: self.objectives.len(),
            key_results: self.objectives.iter().map(|o| o.key_results.len()).sum(),
            kpis: self.kpis.len(),
            objective_statuses: objectives,
            kr_statuses: key_results,
            kpi_statuses: kpis,
            breached: self
                .objectives
                .iter()
                .filter(|o| o.score.guardrail_breached)
                .count(),
        }
    }
}

/// The order summaries list KPI statuses in.
pub(crate) const KPI_ORDER: [KpiStatus; 4] = [
    KpiStatus::Healthy,
    KpiStatus::Warning,
    KpiStatus::Critical,
    KpiStatus::NoData,
];

fn count<S: Copy + PartialEq>(order: &[S], items: impl Iterator<Item = S>) -> Vec<(S, usize)> {
    let all: Vec<S> = items.collect();
    order
        .iter()
        .filter_map(|&s| {
            let n = all.iter().filter(|&&x| x == s).count();
            (n > 0).then_some((s, n))
        })
        .collect()
}

/// Counts for the head of a report.
pub struct Summary {
    pub objectives: usize,
    pub key_results: usize,
    pub kpis: usize,
    /// Non-zero counts, in [`Status::ALL`] order.
    pub objective_statuses: Vec<(Status, usize)>,
    pub kr_statuses: Vec<(Status, usize)>,
    pub kpi_statuses: Vec<(KpiStatus, usize)>,
    /// Objectives with a breached guardrail.
    pub breached: usize,
}

impl<'a> ObjectiveRow<'a> {
    pub fn new(goals: &'a Goals, card: &'a Scorecard, id: ObjectiveId) -> ObjectiveRow<'a> {
        let o = goals.objective(id);
        let s = card.objective(id);
        let guardrails = o
            .guardrails
            .iter()
            .zip(&s.guardrails)
            .map(|(&k, &status)| GuardrailCell {
                kpi: goals.kpi(k),
                status,
            })
            .collect();
        let key_results = o
            .key_results
            .iter()
            .zip(&s.key_results)
            .map(|(kr, ks)| {
                let kpi = kr.kpi.map(|k| goals.kpi(k));
                KrRow {
                    objective: o,
                    kr,
                    score: ks,
                    kpi,
                    observations: kpi.map_or(&kr.checkins, |k| &k.checkins),
                    as_of: card.as_of,
                    previous: None,
                }
            })
            .collect();
        ObjectiveRow {
            id,
            parent: o.parent.map(|p| goals.objective(p)),
            objective: o,
            score: s,
            guardrails,
            key_results,
            as_of: card.as_of,
            previous: None,
        }
    }

    pub fn reference(&self) -> Ref {
        self.objective.reference()
    }

    /// Gives the row and its key results their figures as of `before.as_of`.
    pub fn since(&mut self, before: &'a Before, now: &'a Scorecard) {
        let prev = before.objective(self.id, now);
        self.previous = Some(prev);
        for (k, p) in self.key_results.iter_mut().zip(&prev.key_results) {
            k.previous = Some(p);
        }
    }

    /// What changed since the view's `since` date: "+0.08, was at risk"; empty when nothing
    /// did (SPEC 12).
    pub fn change(&self) -> String {
        self.previous.map_or(String::new(), |p| {
            change_words(self.score.score - p.score, self.score.status, p.status).join(", ")
        })
    }

    /// Its annotations, for every human format.
    pub fn notes(&self) -> ObjectiveNotes<'a> {
        // Every field of the model is named (no `..`): a new one does not compile until it
        // is a note here or said not to be one.
        let Objective {
            team: _,        // a heading or a column of every format
            id: _,          // in the ref
            period: _,      // a heading or a column of every format
            title: _,       // beside the ref in every format
            key_results: _, // rows of their own
            span: _,
            guardrails: _, // `breached` (the row has them all, with their health)
            owner,
            commitment,
            parent: _, // the row's
            carried_from,
            description,
            dropped: _, // in effect or not: `dropped`
        } = self.objective;
        ObjectiveNotes {
            breached: self.breached().map(|g| g.kpi.reference()).collect(),
            committed: *commitment == Commitment::Committed,
            owner: owner.as_deref(),
            parent: self.parent.map(Objective::reference),
            carried_from: carried_from.as_deref(),
            description: description.as_deref(),
            dropped: self.dropped().map(drop_words),
            change: self.change(),
        }
    }

    /// The drop in effect as of the row's date (status `dropped`), if any.
    pub fn dropped(&self) -> Option<DropAt<'a>> {
        (self.score.status == Status::Dropped)
            .then(|| self.objective.drop())
            .flatten()
    }

    /// The guardrails that are critical.
    pub fn breached(&self) -> impl Iterator<Item = &GuardrailCell<'a>> {
        self.guardrails.iter().filter(|g| g.breached())
    }

    /// The objective's forecast for tables ("0.85"); empty outside its period.
    pub fn forecast_cell(&self) -> String {
        self.score.forecast.map_or(String::new(), |f| fixed(f, 2))
    }

    /// The share of the period elapsed, as a whole percentage ("49%"): the straight line,
    /// whatever the milestones' due dates make the objective's expected progress.
    pub fn elapsed(&self) -> String {
        format!(
            "{}%",
            fixed(
                linear_expected(&self.objective.period, self.as_of) * 100.0,
                0
            )
        )
    }
}

/// A key result's numbers in its unit with its latest value ("250 → 210 → 150
/// tickets/week"), or a milestone's state: the one wording of every human output, the
/// review's included.
pub(crate) fn measure(kr: &KeyResult, score: &KrScore) -> String {
    let latest = match (score.current, score.done) {
        (Some(v), _) => Some(Observation::Value(v)),
        (None, Some(d)) => Some(Observation::Done(d)),
        (None, None) => None,
    };
    score.measure.describe(latest, num, |line| {
        crate::text::unit_after(line, kr.unit.as_deref())
    })
}

impl<'a> KrRow<'a> {
    pub fn reference(&self) -> Ref {
        self.objective.kr_ref(self.kr)
    }

    /// Observations dated on or before the as-of date.
    pub fn seen(&self) -> &'a [Checkin] {
        upto(self.observations, self.as_of)
    }

    /// Its annotations, for every human format.
    pub fn notes(&self) -> KrNotes<'_> {
        let s = self.score;
        // Every field of the model is named, as for objectives.
        let KeyResult {
            id: _,    // in the ref
            title: _, // beside the ref in every format
            kind,
            unit: _,   // in the measure
            weight: _, // `show` and the machine formats
            kpi: _,    // the row's
            checkins: _,
            span: _,
            owner,
            cadence,
            description,
            revisions: _, // `revisions`, in words
            dropped: _,   // in effect or not: `dropped`
        } = self.kr;
        KrNotes {
            owner: owner
                .as_deref()
                .filter(|o| Some(*o) != self.objective.owner.as_deref()),
            cadence: Some(*cadence).filter(|c| *c != KrCadence::Weekly),
            description: description.as_deref(),
            revisions: revision_lines(self.kr, self.t_k()),
            dropped: self.dropped().map(drop_words),
            measure: self.measure(),
            kpi: self.kpi.map(Kpi::reference),
            due: kind.due(),
            confidence: s.confidence,
            last_checkin: s.last_checkin,
            stale: s.stale,
            last_note: self.last_note(),
            forecast: ForecastWords(self),
            change: self.change(),
        }
    }

    /// The date its figures are as of: the view's, or its period's end when that is earlier.
    pub fn t_k(&self) -> Date {
        self.as_of.min(self.objective.period.end)
    }

    /// The drop in effect as of the row's date (status `dropped`), if any.
    pub fn dropped(&self) -> Option<DropAt<'a>> {
        (self.score.status == Status::Dropped)
            .then(|| self.objective.kr_drop(self.kr))
            .flatten()
    }

    /// Who is asked for its check-ins: its own owner, else its objective's.
    pub fn owner(&self) -> Option<&'a str> {
        self.objective.kr_owner(self.kr)
    }

    /// What changed since the view's `since` date, in words: "+0.08, was at risk",
    /// "confidence 0.8 → 0.5"; empty when nothing did (SPEC 12).
    pub fn change(&self) -> String {
        let Some(p) = self.previous else {
            return String::new();
        };
        let s = self.score;
        let mut parts = change_words(s.progress - p.progress, s.status, p.status);
        if let (Some(a), Some(b)) = (p.confidence, s.confidence)
            && a != b
        {
            parts.push(format!("confidence {} → {}", num(a), num(b)));
        }
        parts.join(", ")
    }

    /// When its next check-in is due while its period is open (SPEC 12).
    pub fn checkin_due(&self) -> Option<Date> {
        attention::kr_checkin_due(&self.objective.period, self.kr, self.score, self.as_of)
    }

    /// Its next check-in is due before the as-of date.
    pub fn overdue(&self) -> bool {
        attention::overdue(self.checkin_due(), self.as_of)
    }

    /// The KR's numbers in its unit: "250 → 210 → 150 tickets/week", or a milestone's state.
    pub fn measure(&self) -> String {
        measure(self.kr, self.score)
    }

    /// A value of this KR in its unit ("210 tickets/week").
    pub fn value(&self, v: f64) -> String {
        with_unit(v, self.kr.unit.as_deref())
    }

    /// The pass mark of its objective's commitment (0.7, or 1.0 committed).
    pub fn pass_mark(&self) -> f64 {
        self.objective.commitment.pass_mark()
    }

    /// The forecast human outputs show: SPEC 5's, except for a key result whose progress is
    /// already 1 or that is dropped (a forecast of something reached or given up only
    /// confuses; JSON and CSV keep it).
    pub fn forecast(&self) -> Option<Forecast> {
        // SPEC 5: a comparison with the mark 1.0 allows 1e-9 for rounding.
        let reached = self.score.progress >= 1.0 - 1e-9;
        // A dropped key result is no longer heading anywhere (JSON keeps the figure).
        let dropped = self.score.status == Status::Dropped;
        self.score.forecast.filter(|_| !reached && !dropped)
    }

    /// Its progress as human outputs write it, a whole percentage ("62%"; its score, the
    /// same number, stays 0.0–1.0 where scores are compared: SPEC 5).
    pub fn progress_cell(&self) -> String {
        percent(self.score.progress)
    }

    /// Its expected progress at the as-of date, as [`KrRow::progress_cell`] writes progress.
    pub fn expected_cell(&self) -> String {
        percent(self.score.expected)
    }

    /// The forecast progress for tables, a whole percentage ("89%"); `?` marks a forecast
    /// whose ±1 standard-error band reaches both sides of the pass mark (it could end either
    /// way). Empty without a forecast ([`KrRow::forecast`]).
    pub fn forecast_cell(&self) -> String {
        let (Some(f), Some((start, target))) = (self.forecast(), self.score.measure.bounds())
        else {
            return String::new();
        };
        let mark = if f.straddles(start, target, self.pass_mark()) {
            "?"
        } else {
            ""
        };
        format!("{}{mark}", percent(f.progress))
    }

    /// The forecast in the key result's units, at the precision of its own figures (start,
    /// target and the values seen): "13.3% on 2026-12-31 (band 13–13.6%)".
    pub fn forecast_words(&self) -> Option<String> {
        use crate::text::{decimals, num_at, unit_after};
        let f = self.forecast()?;
        let given = self
            .score
            .measure
            .bounds()
            .map(|(s, t)| [s, t])
            .into_iter()
            .flatten();
        let seen = self.seen().iter().filter_map(|c| match c.obs {
            Observation::Value(v) => Some(v),
            Observation::Done(_) => None,
        });
        let places = given.chain(seen).map(decimals).max().unwrap_or(0);
        let unit = self.kr.unit.as_deref();
        let mut out = format!(
            "{} on {}",
            unit_after(num_at(f.value, places), unit),
            self.objective.period.end
        );
        if let (Some(lo), Some(hi)) = (f.low, f.high) {
            out.push_str(&format!(
                " (band {}–{})",
                num_at(lo, places),
                unit_after(num_at(hi, places), unit)
            ));
        }
        Some(out)
    }

    /// The note of the latest observation on or before the as-of date.
    pub fn last_note(&self) -> Option<&'a str> {
        self.seen().last().and_then(|c| c.note())
    }
}

impl<'a> KpiRow<'a> {
    pub fn new(goals: &'a Goals, card: &'a Scorecard, id: KpiId) -> KpiRow<'a> {
        KpiRow {
            id,
            kpi: goals.kpi(id),
            score: card.kpi(id),
            as_of: card.as_of,
            previous: None,
        }
    }

    pub fn reference(&self) -> Ref {
        self.kpi.reference()
    }

    /// Check-ins dated on or before the as-of date.
    pub fn seen(&self) -> &'a [Checkin] {
        upto(&self.kpi.checkins, self.as_of)
    }

    /// Its annotations, for every human format.
    pub fn notes(&self) -> KpiNotes {
        KpiNotes {
            last_checkin: self.score.last_checkin,
            stale: self.score.stale,
            change: self.change(),
        }
    }

    /// What changed since the view's `since` date: "5.2 → 6.1%, was healthy"; empty when
    /// nothing did (SPEC 12).
    pub fn change(&self) -> String {
        let Some(p) = self.previous else {
            return String::new();
        };
        let mut parts = Vec::new();
        if let (Some(a), Some(b)) = (p.value, self.score.value)
            && a != b
        {
            parts.push(format!("{} → {}", num(a), self.value_of(b)));
        }
        if p.status != self.score.status {
            parts.push(format!("was {}", p.status.label()));
        }
        parts.join(", ")
    }

    /// When its next check-in is due (SPEC 12); none before its first.
    pub fn checkin_due(&self) -> Option<Date> {
        attention::kpi_checkin_due(self.kpi.cadence.days(), self.score)
    }

    /// Its next check-in is due before the as-of date.
    pub fn overdue(&self) -> bool {
        attention::overdue(self.checkin_due(), self.as_of)
    }

    /// A value of this KPI in its unit ("329 ms", "99.5%").
    pub fn value_of(&self, v: f64) -> String {
        with_unit(v, self.kpi.unit.as_deref())
    }

    /// The current value in its unit, or "–".
    pub fn value(&self) -> String {
        self.score
            .value
            .map_or("–".to_owned(), |v| self.value_of(v))
    }

    /// The good-side comparison: `≤` when lower is better.
    pub fn good_side(&self) -> &'static str {
        match self.kpi.better {
            Better::Lower => "≤",
            Better::Higher => "≥",
        }
    }

    /// The bad-side comparison of the critical threshold.
    pub fn bad_side(&self) -> &'static str {
        match self.kpi.better {
            Better::Lower => "≥",
            Better::Higher => "≤",
        }
    }

    /// "≤ 5% / 7%": target, then critical when there is one.
    pub fn thresholds(&self) -> String {
        let mut t = format!("{} {}", self.good_side(), self.value_of(self.kpi.target));
        if let Some(c) = self.kpi.critical {
            t.push_str(&format!(" / {}", self.value_of(c)));
        }
        t
    }

    /// The values of the check-ins seen, oldest first (for sparklines and charts).
    pub fn recent_values(&self) -> Vec<f64> {
        values(self.seen())
    }

    pub fn trend(&self) -> Option<Trend> {
        self.score.trend
    }
}

/// The numeric values of check-ins (done-ness as 0/1).
pub(crate) fn values(checkins: &[Checkin]) -> Vec<f64> {
    checkins
        .iter()
        .map(|c| match c.obs {
            Observation::Value(v) => v,
            Observation::Done(d) => f64::from(u8::from(d)),
        })
        .collect()
}

/// The words of a change of a score or progress and a status: "+0.08", "was at risk".
fn change_words(delta: f64, now: Status, was: Status) -> Vec<String> {
    let mut parts = Vec::new();
    let d = fixed(delta, 2);
    if d != "0.00" && d != "-0.00" {
        parts.push(if delta > 0.0 { format!("+{d}") } else { d });
    }
    if now != was {
        parts.push(format!("was {}", was.label()));
    }
    parts
}
