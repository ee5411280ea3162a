//! A KPI's `source:` against goalpost.toml's `[sources]` (SPEC 11): it must name a source
//! that is defined, give a `query` exactly when that source is a Prometheus server, and
//! (checked by the converter) only KPIs take one. So `goalpost pull` never meets a KPI it
//! cannot ask about, and a goal file can only choose among the servers goalpost.toml names.

use super::Validator;
use crate::config::sources::Source;
use crate::diag::{Code, Diagnostic};
use crate::load::raw::RawKpiSource;
use crate::model::KpiSource;

impl Validator<'_> {
    /// The checked source of a KPI; `None` (with diagnostics) when it does not fit.
    pub(super) fn kpi_source(&mut self, raw: &RawKpiSource) -> Option<KpiSource> {
        let Some(from) = &raw.from else {
            if !raw.invalid.contains(&"from") {
                self.push(
                    Diagnostic::new(Code::MissingField, raw.span, "a KPI's `source` has no `from`")
                        .help("name a source of goalpost.toml, for example `source: { from: prom, query: 'up' }`"),
                );
            }
            return None;
        };
        let Some(source) = self.config.sources.get(&from.value) else {
            let names = self.config.sources.keys().cloned();
            let suggested = self.suggestion(&from.value, names);
            let help = match &suggested {
                Some(_) => String::new(),
                None if self.config.sources.is_empty() => format!(
                    "goalpost.toml defines no sources: add `[sources.{}]` with `kind = \"prometheus\"` and `url`, or `kind = \"csv\"` and `path`",
                    from.value
                ),
                None => format!(
                    "the sources in goalpost.toml are: {}",
                    self.config
                        .sources
                        .keys()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            let d = Diagnostic::new(
                Code::UnknownRef,
                from.span,
                format!(
                    "`source` names `{}`, which is not a source in goalpost.toml",
                    from.value
                ),
            );
            self.push(match suggested {
                Some(s) => d.did_you_mean(&s),
                None => d.help(help),
            });
            return None;
        };
        let query = match (source, &raw.query) {
            (Source::Prometheus(_), Some(q)) if q.value.trim().is_empty() => {
                self.push(
                    Diagnostic::new(
                        Code::MissingField,
                        q.span,
                        "the `query` of this KPI's source is empty",
                    )
                    .help("write the PromQL expression whose one sample is the KPI's value"),
                );
                return None;
            }
            (Source::Prometheus(_), Some(q)) => Some(q.value.clone()),
            (Source::Prometheus(_), None) => {
                if !raw.invalid.contains(&"query") {
                    self.push(
                        Diagnostic::new(
                            Code::MissingField,
                            raw.span,
                            format!(
                                "source `{}` is a Prometheus server: the KPI needs a `query`",
                                from.value
                            ),
                        )
                        .help(format!(
                            "add the PromQL expression whose one sample is the KPI's value, for example `source: {{ from: {}, query: 'sum(rate(http_requests_total[5m]))' }}`",
                            from.value
                        )),
                    );
                }
                return None;
            }
            (Source::Csv { path }, Some(q)) => {
                self.push(
                    Diagnostic::new(
                        Code::UnknownKey,
                        q.span,
                        format!(
                            "source `{}` is a CSV file ({path}) and takes no `query`",
                            from.value
                        ),
                    )
                    .help("a CSV source's rows name the KPI by its ref (`ref,date,value`): remove `query`, or name a Prometheus source"),
                );
                return None;
            }
            (Source::Csv { .. }, None) => None,
        };
        Some(KpiSource {
            from: from.value.clone(),
            query,
            span: raw.span,
        })
    }
}
