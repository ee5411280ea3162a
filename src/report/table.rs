//! `goalpost status` as terminal tables (comfy-table): objectives grouped by period and team
//! with their key results beneath, or as a parent/child tree; then the KPIs.
//!
//! On a terminal the tables fit its width without breaking a token: optional columns are
//! dropped first (the progress bar, then the expected score, ...), then the wide text
//! columns wrap between words, never inside a ref, a word or a date ([`Grid::render`]).
//! Piped output is never wrapped. Repository text goes through [`safe::human`].

use super::text::*;
use super::view::{KpiNotes, KpiRow, KrNotes, KrRow, ObjectiveNotes, ObjectiveRow, StatusView};
use crate::model::*;
use crate::score::Status;
use crate::text::safe;
use comfy_table::{
    Attribute, Cell, CellAlignment, ColumnConstraint, ContentArrangement, Table, Width, presets,
};
use std::collections::{HashMap, HashSet};
use unicode_width::UnicodeWidthStr;

/// How to draw.
#[derive(Debug, Clone, Copy)]
pub struct TableOptions {
    pub color: bool,
    /// Fit this width (a terminal); `None` never wraps (pipes, files).
    pub width: Option<u16>,
    /// Show objectives under their parents instead of grouped by team.
    pub tree: bool,
}

/// Repository text for the terminal (refs are slugs and pass unchanged).
fn h<T: std::fmt::Display + ?Sized>(s: &T) -> String {
    let s = s.to_string();
    match safe::human(&s) {
        std::borrow::Cow::Borrowed(_) => s,
        std::borrow::Cow::Owned(o) => o,
    }
}

/// [`h`] appended to `out`, without a copy when the text is clean.
fn push_h(out: &mut String, s: &str) {
    out.push_str(&safe::human(s));
}

/// One cell before layout.
#[derive(Default, Clone)]
struct TCell {
    text: String,
    color: Option<comfy_table::Color>,
    bold: bool,
}

impl TCell {
    fn new(text: impl Into<String>) -> TCell {
        TCell {
            text: text.into(),
            color: None,
            bold: false,
        }
    }
    fn bold(mut self) -> TCell {
        self.bold = true;
        self
    }
    fn color(mut self, c: comfy_table::Color) -> TCell {
        self.color = Some(c);
        self
    }
}

/// A column: its header, whether it is right-aligned, whether its text may wrap between
/// words, and when it is dropped to fit a narrow terminal (lower goes first; `None` never).
struct Column {
    header: &'static str,
    right: bool,
    wraps: bool,
    drop: Option<u8>,
}

const fn col(header: &'static str, right: bool, wraps: bool, drop: Option<u8>) -> Column {
    Column {
        header,
        right,
        wraps,
        drop,
    }
}

/// A table's cells, laid out only when the width is known.
struct Grid {
    columns: &'static [Column],
    rows: Vec<Vec<TCell>>,
}

/// Cell padding comfy-table adds on each side.
const PAD: usize = 2;
/// The narrowest a wrapping column is made while other columns can still be dropped.
const COMFORT: usize = 28;

impl Grid {
    fn new(columns: &'static [Column]) -> Grid {
        Grid {
            columns,
            rows: Vec::new(),
        }
    }

    fn push(&mut self, row: Vec<TCell>) {
        self.rows.push(row);
    }

    /// Widest content of column `c` (header included), and its longest single word.
    fn widths(&self, c: usize) -> (usize, usize) {
        let mut widest = self.columns[c].header.width();
        let mut word = widest;
        for row in &self.rows {
            if let Some(cell) = row.get(c) {
                for line in cell.text.lines() {
                    widest = widest.max(line.width());
                }
                for w in cell.text.split_whitespace() {
                    word = word.max(w.width());
                }
            }
        }
        (widest, word)
    }

    /// Lays the table out within `width` (see the module docs).
    fn render(self, opts: TableOptions) -> String {
        let n = self.columns.len();
        // A column with nothing in it (the forecast of a closed period) is not shown.
        let mut shown: Vec<usize> = (0..n)
            .filter(|&c| {
                c == 0
                    || self
                        .rows
                        .iter()
                        .any(|r| r.get(c).is_some_and(|cell| !cell.text.is_empty()))
            })
            .collect();
        let Some(width) = opts.width.map(usize::from) else {
            return self.unwrapped(&shown, opts);
        };
        let widths: Vec<(usize, usize)> = (0..n).map(|c| self.widths(c)).collect();
        // Between two columns comfy-table draws a blank (the `junction` of the style).
        let rules = |shown: &[usize]| shown.len().saturating_sub(1);
        let natural = |shown: &[usize]| {
            rules(shown) + shown.iter().map(|&c| widths[c].0 + PAD).sum::<usize>()
        };
        // The least width with wrapping columns at `floor` (or their longest word), blanks
        // between columns left out: comfy-table fits a wrapped table to the width itself, and
        // this only says when a column is dropped (80 columns keep the detail column).
        let wrapped = |shown: &[usize], floor: usize| {
            shown
                .iter()
                .map(|&c| {
                    let (widest, word) = widths[c];
                    PAD + if self.columns[c].wraps {
                        word.max(floor.min(widest))
                    } else {
                        widest
                    }
                })
                .sum::<usize>()
        };
        let mut order: Vec<usize> = (0..n).filter(|&c| self.columns[c].drop.is_some()).collect();
        order.sort_by_key(|&c| self.columns[c].drop);
        let mut order = order.into_iter();
        loop {
            if natural(&shown) <= width {
                return self.unwrapped(&shown, opts);
            }
            if wrapped(&shown, COMFORT) <= width {
                break;
            }
            match order.next() {
                Some(c) => shown.retain(|&x| x != c),
                None => break,
            }
        }
        // Wrap the text columns between words: every other column keeps its width, and a
        // wrapping column is never narrower than its longest word.
        let constraints: Vec<ColumnConstraint> = (0..n)
            .map(|c| {
                if !shown.contains(&c) {
                    ColumnConstraint::Hidden
                } else if self.columns[c].wraps {
                    // comfy-table's widths include the padding.
                    ColumnConstraint::LowerBoundary(Width::Fixed(to_u16(widths[c].1 + PAD)))
                } else {
                    ColumnConstraint::Absolute(Width::Fixed(to_u16(widths[c].0 + PAD)))
                }
            })
            .collect();
        let all: Vec<usize> = (0..n).collect();
        // comfy-table wraps a cell's lines without their leading spaces, so the tree's `└`
        // indent would be lost on a title's second line. A first layout says how wide the
        // first column comes out; its cells are then wrapped here with a hanging indent to
        // that width (each line fits, so comfy-table keeps it as it is).
        let probe = Grid {
            columns: self.columns,
            rows: self.rows.clone(),
        }
        .table(&all, Some((width, constraints.clone())), opts)
        .to_string();
        let mut grid = self;
        let mut constraints = constraints;
        if let Some(first) = first_column_width(&probe)
            && grid.columns[0].wraps
        {
            let inner = first.saturating_sub(PAD);
            for row in &mut grid.rows {
                if let Some(cell) = row.first_mut()
                    && cell.text.width() > inner
                {
                    cell.text = crate::text::wrap_hanging(&cell.text, inner, 2);
                }
            }
            constraints[0] = ColumnConstraint::Absolute(Width::Fixed(to_u16(first)));
        }
        grid.table(&all, Some((width, constraints)), opts)
            .to_string()
    }

    /// The table with every column as wide as its widest line: drawn here when there is
    /// no colour, as comfy-table would draw it (`plain_tables_are_drawn_as_comfy_table_draws_them`
    /// holds the two to the same bytes), by comfy-table otherwise. At 3,000 teams comfy-table's
    /// cell and line objects cost about a second; this is one pass over the text.
    fn unwrapped(self, shown: &[usize], opts: TableOptions) -> String {
        if !opts.color
            && let Some(out) = self.plain(shown)
        {
            return out;
        }
        self.table(shown, None, opts).to_string()
    }

    /// [`Grid::unwrapped`] without colour: a column's content is as wide as its widest line
    /// (header included, at least 1), each cell padded by one blank on either side and
    /// aligned within that, columns joined by a blank, a rule of `─` under the header, rows
    /// of several lines topped up with blanks. `None` when a column would be wider than
    /// comfy-table's widths can hold (it then splits lines; it draws those tables itself).
    fn plain(&self, shown: &[usize]) -> Option<String> {
        const MOST: usize = u16::MAX as usize - 2 * PAD;
        fn cell(row: &[TCell], c: usize) -> &str {
            row.get(c).map_or("", |t| t.text.as_str())
        }
        let mut widths: Vec<usize> = shown
            .iter()
            .map(|&c| self.columns[c].header.width().max(1))
            .collect();
        let mut bytes = 0;
        for row in &self.rows {
            for (w, &c) in widths.iter_mut().zip(shown) {
                let text = cell(row, c);
                bytes += text.len();
                for line in text.split('\n') {
                    *w = (*w).max(line.width());
                }
            }
        }
        if widths.iter().any(|&w| w > MOST) {
            return None;
        }
        let line_width: usize = widths.iter().map(|w| w + PAD + 1).sum();
        let mut out = String::with_capacity(bytes + (self.rows.len() + 2) * line_width);
        plain_line(&mut out, &widths, |j| {
            Some((self.columns[shown[j]].header, false))
        });
        out.push('\n');
        for (j, &w) in widths.iter().enumerate() {
            if j > 0 {
                out.push(' ');
            }
            out.extend(std::iter::repeat_n('─', w + PAD));
        }
        for row in &self.rows {
            let height = shown
                .iter()
                .map(|&c| cell(row, c).split('\n').count())
                .max()
                .unwrap_or(1);
            for k in 0..height {
                out.push('\n');
                plain_line(&mut out, &widths, |j| {
                    let c = shown[j];
                    let text = cell(row, c).split('\n').nth(k)?;
                    Some((text, self.columns[c].right))
                });
            }
        }
        Some(out)
    }

    fn table(
        self,
        shown: &[usize],
        fit: Option<(usize, Vec<ColumnConstraint>)>,
        opts: TableOptions,
    ) -> Table {
        let mut t = Table::new();
        // A rule under the header, no other lines: easy to read and to paste.
        t.load_style(
            presets::NOTHING
                .header_separator(comfy_table::LineStyle::none().fill('─').junction(' '))
                .header_lines(comfy_table::ContentLineStyle::none().junction(' '))
                .content_lines(comfy_table::ContentLineStyle::none().junction(' ')),
        );
        if opts.color {
            t.enforce_styling();
        } else {
            t.force_no_tty();
        }
        t.set_header(
            shown
                .iter()
                .map(|&c| Cell::new(self.columns[c].header).add_attribute(Attribute::Bold)),
        );
        let columns = self.columns;
        for mut row in self.rows {
            t.add_row(shown.iter().map(|&c| {
                let cell = row.get_mut(c).map(std::mem::take).unwrap_or_default();
                let mut out = Cell::new(cell.text);
                if cell.bold {
                    out = out.add_attribute(Attribute::Bold);
                }
                if let (Some(color), true) = (cell.color, opts.color) {
                    out = out.fg(color);
                }
                if columns[c].right {
                    out = out.set_alignment(CellAlignment::Right);
                }
                out
            }));
        }
        match fit {
            None => {
                t.set_content_arrangement(ContentArrangement::Disabled);
            }
            Some((width, constraints)) => {
                t.set_content_arrangement(ContentArrangement::Dynamic);
                t.set_width(to_u16(width));
                t.set_constraints(constraints);
            }
        }
        t
    }
}

/// One line of a [`Grid::plain`] table: `text(j)` is column j's text on it and whether it
/// is right-aligned (`None`: blanks).
fn plain_line<'a>(
    out: &mut String,
    widths: &[usize],
    text: impl Fn(usize) -> Option<(&'a str, bool)>,
) {
    for (j, &w) in widths.iter().enumerate() {
        if j > 0 {
            out.push(' ');
        }
        let (t, right) = text(j).unwrap_or(("", false));
        let room = w - t.width().min(w);
        let (left, after) = if right { (room, 0) } else { (0, room) };
        out.extend(std::iter::repeat_n(' ', 1 + left));
        out.push_str(t);
        out.extend(std::iter::repeat_n(' ', after + 1));
    }
}

/// The width comfy-table gave the first column (its padding included), read from the rule
/// under the header: the first run of `─`.
fn first_column_width(rendered: &str) -> Option<usize> {
    let rule = rendered.lines().find(|l| l.starts_with('─'))?;
    Some(rule.chars().take_while(|&c| c == '─').count())
}

fn to_u16(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

const OKR_COLUMNS: &[Column] = &[
    col("objective / key result", false, true, None),
    col("score", true, false, None),
    col("expected", true, false, Some(2)),
    col("forecast", true, false, Some(3)),
    col("status", false, false, None),
    col("progress", false, false, Some(1)),
    col("detail", false, true, Some(4)),
];

const KPI_COLUMNS: &[Column] = &[
    col("kpi", false, true, None),
    col("value", true, false, None),
    col("target / critical", false, false, Some(3)),
    col("status", false, false, None),
    col("trend", false, false, Some(2)),
    col("recent", false, false, Some(1)),
    col("last check-in", false, false, Some(4)),
];

fn kr_notes(kr: &KrRow) -> String {
    use std::fmt::Write as _;
    let KrNotes {
        measure,
        kpi: _,       // in `show`
        due: _,       // in the measure
        last_note: _, // too long for a cell
        forecast: _,  // the forecast column has it
        confidence,
        last_checkin,
        stale,
        change,
        owner,
        cadence,
        description: _, // in `show`
        revisions,
        dropped,
    } = kr.notes();
    let mut notes = h(&measure);
    if let Some(d) = dropped {
        let _ = write!(notes, " · ⊘ {}", h(&d));
    }
    for r in revisions {
        let _ = write!(notes, " · ↺ {}", h(&r));
    }
    if let Some(o) = owner {
        let _ = write!(notes, " · owner {}", h(o));
    }
    if let Some(c) = cadence {
        let _ = write!(notes, " · {c}");
    }
    if let Some(c) = confidence {
        let _ = write!(notes, " · conf {}", num(c));
    }
    if let Some(d) = last_checkin {
        let _ = write!(notes, " · last {d}");
    }
    if stale {
        notes.push_str(" · ⚠ stale");
    }
    if !change.is_empty() {
        let _ = write!(notes, " · Δ {}", h(&change));
    }
    notes
}

fn objective_rows(grid: &mut Grid, row: &ObjectiveRow, depth: usize) {
    let (o, s) = (row.objective, row.score);
    let indent = "  ".repeat(depth);
    let mut title = format!("{indent}{} ", h(&o.reference()));
    push_h(&mut title, &o.title);
    let ObjectiveNotes {
        breached,
        committed,
        owner,
        parent: _,       // the tree shows it (`--tree`)
        carried_from: _, // in `show`
        description: _,  // in `show`
        dropped,
        change,
    } = row.notes();
    if committed {
        title.push_str(" [committed]");
    }
    let mut notes = Vec::new();
    if row.id.is_upstream() {
        notes.push("upstream".to_owned());
    }
    if let Some(d) = dropped {
        notes.push(format!("⊘ {}", h(&d)));
    }
    if !breached.is_empty() {
        let refs: Vec<String> = breached.iter().map(h).collect();
        notes.push(format!("⚠ guardrail breached: {}", refs.join(", ")));
    }
    if let Some(owner) = owner {
        notes.push(format!("owner {}", h(owner)));
    }
    if !change.is_empty() {
        notes.push(format!("Δ {}", h(&change)));
    }
    grid.push(vec![
        TCell::new(title).bold(),
        TCell::new(if s.status == Status::Dropped {
            "–".to_owned()
        } else {
            score(s.score)
        }),
        TCell::new(score(s.expected)),
        TCell::new(row.forecast_cell()),
        TCell::new(s.status.label()).color(status_color(s.status)),
        TCell::new(bar(s.score, 10)),
        TCell::new(notes.join(" · ")),
    ]);
    for kr in &row.key_results {
        let ks = kr.score;
        grid.push(vec![
            TCell::new({
                let mut t = format!("{indent}  └ {} ", h(&kr.kr.id));
                push_h(&mut t, &kr.kr.title);
                t
            }),
            TCell::new(score(ks.progress)),
            TCell::new(""),
            TCell::new(kr.forecast_cell()),
            TCell::new(ks.status.label()).color(status_color(ks.status)),
            TCell::new(format!(
                "{} {:>4}",
                bar(ks.progress, 10),
                kr.progress_cell()
            )),
            TCell::new(kr_notes(kr)),
        ]);
    }
}

const ATTENTION_COLUMNS: &[Column] = &[
    col("item", false, true, None),
    col("why", false, true, None),
    col("owner", false, false, Some(2)),
    col("check-in due", false, false, Some(1)),
];

/// The attention list (SPEC 12), most severe first.
fn attention_grid(view: &StatusView) -> Grid {
    let mut grid = Grid::new(ATTENTION_COLUMNS);
    for e in &view.attention {
        grid.push(vec![
            TCell::new(h(&e.reference)),
            TCell::new(e.why()).color(reason_color(e.reasons[0])),
            TCell::new(e.owner.as_deref().map_or(String::new(), h)),
            TCell::new(e.checkin_due.map_or(String::new(), |d| d.to_string())),
        ]);
    }
    grid
}

fn reason_color(r: crate::attention::Reason) -> comfy_table::Color {
    use crate::attention::Reason::*;
    match r {
        GuardrailBreached | KpiCritical | OffTrack => status_color(crate::score::Status::OffTrack),
        AtRisk | KpiWarning => status_color(crate::score::Status::AtRisk),
        KpiNoData | Stale | Overdue => status_color(crate::score::Status::NoData),
    }
}

fn kpi_grid(kpis: &[KpiRow]) -> Grid {
    let mut grid = Grid::new(KPI_COLUMNS);
    for k in kpis {
        let s = k.score;
        let KpiNotes {
            last_checkin,
            stale,
            change,
        } = k.notes();
        let mut last = last_checkin.map_or(String::new(), |d| d.to_string());
        if stale {
            last.push_str(" ⚠ stale");
        }
        if !change.is_empty() {
            last.push_str(&format!(" · Δ {}", h(&change)));
        }
        grid.push(vec![
            TCell::new(format!("{} {}", h(&k.reference()), h(&k.kpi.title))),
            TCell::new(h(&k.value())),
            TCell::new(h(&k.thresholds())),
            TCell::new(s.status.label()).color(kpi_color(s.status)),
            TCell::new(trend_arrow(k.trend(), k.kpi.better)),
            TCell::new(sparkline(&k.recent_values(), 12)),
            TCell::new(last),
        ]);
    }
    grid
}

/// The OKR and KPI tables.
pub fn status(view: &StatusView, opts: TableOptions) -> String {
    let mut out = Trimmed::default();
    if !view.attention.is_empty() {
        out.push(&format!(
            "Needs attention ({}) as of {}\n",
            view.attention.len(),
            view.as_of
        ));
        out.push(&attention_grid(view).render(opts));
        out.push("\n\n");
    }
    if opts.tree {
        tree(view, opts, &mut out);
    } else {
        for group in view.sections() {
            let first = &group[0];
            let p = &first.objective.period;
            out.push(&format!(
                "{} · {}  ({} to {}, {} elapsed)\n",
                h(&p.name),
                h(&first.objective.team),
                p.start,
                p.end,
                first.elapsed()
            ));
            let mut grid = Grid::new(OKR_COLUMNS);
            for row in group {
                objective_rows(&mut grid, row, 0);
            }
            out.push(&grid.render(opts));
            out.push("\n\n");
        }
    }
    if !view.kpis.is_empty() {
        out.push("KPIs\n");
        out.push(&kpi_grid(&view.kpis).render(opts));
        out.push("\n");
    }
    if view.objectives.is_empty() && view.kpis.is_empty() {
        out.push("no objectives or KPIs match\n");
    }
    legend(view, opts, &mut out);
    out.finish()
}

/// The marks the tables used, said in words below them (wrapped to the terminal's width).
fn legend(view: &StatusView, opts: TableOptions, out: &mut Trimmed) {
    let mut text = String::new();
    for (mark, words) in super::view::legend(view) {
        let sep = if mark == "?" { " " } else { ": " };
        text.push_str(&format!("{mark}{sep}{words}\n"));
    }
    if text.is_empty() {
        return;
    }
    // One blank line between the last table and the legend.
    if !out.0.ends_with("\n\n") {
        out.push("\n");
    }
    match opts.width {
        Some(w) => out.push(&super::wrap::to_width(&text, usize::from(w))),
        None => out.push(&text),
    }
}

/// Text whose lines lose their trailing blanks as they are added: comfy-table pads the last
/// column, and trailing blanks only get in the way of diffs. Trimming on the way in keeps
/// one copy of the output, not two (33 MB each at 3,000 teams).
#[derive(Default)]
struct Trimmed(String);

impl Trimmed {
    fn push(&mut self, s: &str) {
        let mut rest = s;
        while let Some(i) = rest.find('\n') {
            self.0.push_str(&rest[..i]);
            self.end_line();
            self.0.push('\n');
            rest = &rest[i + 1..];
        }
        self.0.push_str(rest);
    }

    /// Trims the blanks at the end of the line being written.
    fn end_line(&mut self) {
        let keep = self
            .0
            .trim_end_matches(|c: char| c.is_whitespace() && c != '\n')
            .len();
        self.0.truncate(keep);
    }

    fn finish(mut self) -> String {
        self.end_line();
        self.0
    }
}

/// Objectives under their parents, one table per period. An objective whose parent is in
/// an upstream snapshot is shown under it (its ref carries the upstream's name), and
/// vendored objectives whose parent is one of these under that one (SPEC 13).
fn tree(view: &StatusView, opts: TableOptions, out: &mut Trimmed) {
    let by_index: HashMap<ObjectiveId, &ObjectiveRow> = view
        .objectives
        .iter()
        .chain(&view.upstream)
        .map(|o| (o.id, o))
        .collect();
    let selected: HashSet<ObjectiveId> = by_index.keys().copied().collect();
    let mut children: HashMap<ObjectiveId, Vec<ObjectiveId>> = HashMap::new();
    let mut roots = Vec::new();
    let mut seen: HashSet<ObjectiveId> = HashSet::new();
    for row in &view.objectives {
        match row.objective.parent {
            Some(p) if p.is_upstream() && selected.contains(&p) => {
                children.entry(p).or_default().push(row.id);
                if seen.insert(p) {
                    roots.push(p);
                }
            }
            Some(p) if selected.contains(&p) => children.entry(p).or_default().push(row.id),
            _ => roots.push(row.id),
        }
    }
    for row in &view.upstream {
        if let Some(p) = row.objective.parent
            && !p.is_upstream()
            && selected.contains(&p)
        {
            children.entry(p).or_default().push(row.id);
        }
    }
    let mut period: Option<&str> = None;
    let mut grid: Option<Grid> = None;
    for &r in &roots {
        let name = by_index[&r].objective.period.name.as_str();
        if period != Some(name) {
            if let Some(g) = grid.take() {
                out.push(&g.render(opts));
                out.push("\n\n");
            }
            out.push(&h(name));
            out.push("\n");
            period = Some(name);
            grid = Some(Grid::new(OKR_COLUMNS));
        }
        if let Some(g) = grid.as_mut() {
            let mut stack: Vec<(ObjectiveId, usize)> = vec![(r, 0)];
            while let Some((i, depth)) = stack.pop() {
                objective_rows(g, by_index[&i], depth);
                if depth < 32 {
                    for &c in children.get(&i).into_iter().flatten().rev() {
                        stack.push((c, depth + 1));
                    }
                }
            }
        }
    }
    if let Some(g) = grid {
        out.push(&g.render(opts));
        out.push("\n\n");
    }
}

#[cfg(test)]
mod tests {
    use super::{ATTENTION_COLUMNS, Grid, KPI_COLUMNS, OKR_COLUMNS, TCell, TableOptions, Trimmed};

    /// What `status` did before it trimmed on the way in: the whole text, line by line.
    fn trim_whole(out: &str) -> String {
        let mut trimmed: String = out.lines().map(|l| format!("{}\n", l.trim_end())).collect();
        if !out.ends_with('\n') {
            trimmed.pop();
        }
        trimmed
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]
        /// The tables drawn here without colour are comfy-table's to the byte: any text (wide,
        /// zero-width and combining characters, line breaks, blanks at either end, empty
        /// cells, short rows) in any of the three tables, with any columns shown.
        #[test]
        fn plain_tables_are_drawn_as_comfy_table_draws_them(
            which in 0usize..3,
            rows in proptest::collection::vec(
                proptest::collection::vec(
                    "[a Z0\\-·└⚠✓▇中😀\u{301}\u{200b}\t\r\n]{0,9}",
                    0..8,
                ),
                0..7,
            ),
            keep in proptest::collection::vec(proptest::bool::ANY, 7),
        ) {
            let columns = [OKR_COLUMNS, KPI_COLUMNS, ATTENTION_COLUMNS][which];
            let shown: Vec<usize> = (0..columns.len()).filter(|&c| c == 0 || keep[c]).collect();
            let grid = || {
                let mut g = Grid::new(columns);
                for r in &rows {
                    g.push(r.iter().take(columns.len()).map(TCell::new).collect());
                }
                g
            };
            let opts = TableOptions { color: false, width: None, tree: false };
            let ours = grid().plain(&shown);
            proptest::prop_assert!(ours.is_some());
            let theirs = grid().table(&shown, None, opts).to_string();
            proptest::prop_assert_eq!(ours.unwrap(), theirs);
        }

        /// Any pieces, ending inside a line or after it: trimming happens only at a line
        /// break, so where the pieces are cut does not matter.
        #[test]
        fn trimming_on_the_way_in_is_trimming_the_whole(
            pieces in proptest::collection::vec("[a \\t\\r\\u{3000}é\\n]{0,12}\n?", 0..8),
            tail in "[ \\t]{0,3}",
        ) {
            let mut t = Trimmed::default();
            let mut whole = String::new();
            for p in &pieces {
                t.push(p);
                whole.push_str(p);
            }
            t.push(&tail);
            whole.push_str(&tail);
            proptest::prop_assert_eq!(t.finish(), trim_whole(&whole));
        }
    }
}
