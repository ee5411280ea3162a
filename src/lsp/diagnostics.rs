//! goalpost's diagnostics as LSP diagnostics, and which files to publish them for.
//!
//! The message, code and severity are `goalpost check`'s. The help line follows the message
//! (`help: …`), as rustc and rust-analyzer show it: editors display the message whole, and
//! LSP's `relatedInformation` needs a place that a help text does not have. Related places
//! ("first written here") are `relatedInformation`. The explanation of the code, which
//! `goalpost explain CODE` prints, cannot be a link (no page exists offline): `data` carries
//! its summary line and the command, and hover over the diagnostic's range shows the whole
//! text (README, "Editor integration").

use super::position::LineIndex;
use super::store::Workspace;
use crate::diag::{Diagnostic, Severity};
use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    PublishDiagnosticsParams, Uri,
};
use std::collections::HashMap;

/// What was published last, per path, so that only changes are sent and fixed files are
/// cleared.
#[derive(Default)]
pub(crate) struct Published {
    last: HashMap<String, u64>,
}

impl Published {
    /// The `publishDiagnostics` notifications that bring the client up to date: every path
    /// whose diagnostics changed, and an empty list for each path that had some and has none.
    /// Only the files whose diagnostics changed are converted (a fingerprint of goalpost's
    /// own diagnostics tells), so an edit costs one file, not every file with warnings.
    pub(crate) fn update(&mut self, ws: &Workspace) -> Vec<PublishDiagnosticsParams> {
        let now = ws.diagnostics_by_path();
        let mut paths: Vec<&String> = now.keys().collect();
        paths.sort();
        let mut out: Vec<PublishDiagnosticsParams> = paths
            .into_iter()
            .filter_map(|path| self.one(ws, path, now[path].clone()))
            .collect();
        let gone: Vec<String> = self
            .last
            .keys()
            .filter(|p| !now.contains_key(*p))
            .cloned()
            .collect();
        out.extend(
            gone.iter()
                .filter_map(|path| self.one(ws, path, Vec::new())),
        );
        out
    }

    /// [`Published::update`] for `paths` only: the others are left as last published.
    pub(crate) fn update_paths(
        &mut self,
        ws: &Workspace,
        paths: &[String],
    ) -> Vec<PublishDiagnosticsParams> {
        paths
            .iter()
            .filter_map(|path| {
                let f = ws.id(path)?;
                let diags: Vec<&Diagnostic> = ws
                    .analysis
                    .diags
                    .iter()
                    .filter(|d| !d.span.is_nowhere() && d.span.file == f)
                    .collect();
                self.one(ws, path, diags)
            })
            .collect()
    }

    /// The notification for one path whose diagnostics are now `diags`, when they differ
    /// from what was last published for it (an empty list clears a path that had some).
    fn one(
        &mut self,
        ws: &Workspace,
        path: &str,
        mut diags: Vec<&Diagnostic>,
    ) -> Option<PublishDiagnosticsParams> {
        if diags.is_empty() {
            self.last.remove(path)?;
            return params(ws, path, Vec::new());
        }
        diags.sort_by(|a, b| crate::diag::order(a, b));
        let key = fingerprint(&diags, ws.buffer(path).map(|b| b.version));
        if self.last.get(path) == Some(&key) {
            return None;
        }
        self.last.insert(path.to_owned(), key);
        params(ws, path, convert(ws, &diags))
    }

    /// Forgets a path's last diagnostics (its document closed: the client dropped them).
    pub(crate) fn forget(&mut self, path: &str) {
        self.last.remove(path);
    }
}

fn params(
    ws: &Workspace,
    path: &str,
    diagnostics: Vec<lsp_types::Diagnostic>,
) -> Option<PublishDiagnosticsParams> {
    let uri: Uri = ws.uri_of(path).parse().ok()?;
    Some(PublishDiagnosticsParams {
        uri,
        diagnostics,
        version: ws.buffer(path).map(|b| b.version),
    })
}

fn fingerprint(diags: &[&Diagnostic], version: Option<i32>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    version.hash(&mut h);
    for d in diags {
        (d.code, d.severity, &d.message, &d.help, d.span).hash(&mut h);
        for r in &d.related {
            (r.span, &r.label).hash(&mut h);
        }
    }
    h.finish()
}

/// The LSP form of one file's diagnostics.
pub(crate) fn convert(ws: &Workspace, diags: &[&Diagnostic]) -> Vec<lsp_types::Diagnostic> {
    let Some(first) = diags.first() else {
        return Vec::new();
    };
    let text = ws.text_of_file(first.span.file);
    let index = LineIndex::new(text);
    diags
        .iter()
        .map(|d| {
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            let related: Vec<DiagnosticRelatedInformation> = d
                .related
                .iter()
                .filter(|r| !r.span.is_nowhere())
                .filter_map(|r| {
                    let other = ws.text_of_file(r.span.file);
                    let range = LineIndex::new(other).range(other, &r.span);
                    let path = ws.sources.path(r.span.file);
                    let uri: Uri = ws.uri_of(path).parse().ok()?;
                    Some(DiagnosticRelatedInformation {
                        location: Location::new(uri, range),
                        message: r.label.clone(),
                    })
                })
                .collect();
            lsp_types::Diagnostic {
                range: index.range(text, &d.span),
                severity: Some(match d.severity {
                    Severity::Error => DiagnosticSeverity::ERROR,
                    Severity::Warning => DiagnosticSeverity::WARNING,
                }),
                code: Some(NumberOrString::String(d.code.name().to_owned())),
                code_description: None,
                source: Some("goalpost".to_owned()),
                message,
                related_information: (!related.is_empty()).then_some(related),
                tags: None,
                data: Some(serde_json::json!({
                    "explain": crate::explain::summary(d.code),
                    "command": format!("goalpost explain {}", d.code.name()),
                })),
            }
        })
        .collect()
}
