//! Prometheus's HTTP API for `goalpost pull`: the URL of an instant query, and the one sample
//! of its answer. The query comes from a goal file, so it only ever travels percent-encoded
//! inside the query string of the URL goalpost.toml names: it cannot change the host, the
//! path or add parameters. Everything the server says is data, and is shown only escaped.

/// The URL of an instant query of `query` at `time_ms` (Unix milliseconds) on the server at
/// `base` (no trailing `/`).
pub(crate) fn query_url(base: &str, query: &str, time_ms: i64) -> String {
    format!(
        "{base}/api/v1/query?query={}&time={}.{:03}",
        percent_encode(query),
        time_ms.div_euclid(1000),
        time_ms.rem_euclid(1000)
    )
}

/// Every byte but the unreserved ones (`A-Z a-z 0-9 - . _ ~`) as `%XX`.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Why an answer holds no usable value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Problem {
    /// The query matched no series at that time.
    Empty,
    /// Several series: how many, and the labels of the first few.
    Several(usize, Vec<String>),
    /// The sample is not a finite number (`NaN`, `+Inf`).
    NotFinite(String),
    /// A range vector or a string: not one number.
    WrongType(String),
    /// Prometheus refused the query (`status: error`).
    Refused { kind: String, error: String },
    /// Not an answer of Prometheus's API at all.
    NotPrometheus(String),
}

impl Problem {
    /// Whether the server, rather than the query, is the trouble (SPEC 11's exit 3).
    pub(crate) fn is_unreachable(&self) -> bool {
        matches!(self, Problem::NotPrometheus(_))
    }

    /// What went wrong, in words, for the query `query` (the caller escapes it).
    pub(crate) fn describe(&self, query: &str) -> String {
        match self {
            Problem::Empty => format!(
                "the query `{query}` returned no series at that time; check the metric and labels (a series that stopped more than 5 minutes before is gone)"
            ),
            Problem::Several(n, first) => format!(
                "the query `{query}` returned {n} series ({}{}); a KPI needs exactly one: aggregate them, for example with sum(...) or max(...)",
                first.join(", "),
                if *n > first.len() { ", ..." } else { "" }
            ),
            Problem::NotFinite(v) => format!(
                "the query `{query}` returned {v}, not a finite number; a check-in needs a number (a division by zero?)"
            ),
            Problem::WrongType(t) => format!(
                "the query `{query}` returned a {t}; a KPI needs an instant vector of one series or a scalar (drop the `[range]`)"
            ),
            Problem::Refused { kind, error } => {
                format!("Prometheus refused the query `{query}` ({kind}): {error}")
            }
            Problem::NotPrometheus(what) => {
                format!("the answer is not from Prometheus's API ({what}); is the url right?")
            }
        }
    }
}

/// At most this much of any text from the server is shown.
const SHOWN_CHARS: usize = 200;

fn short(s: &str) -> String {
    let mut out: String = s.chars().take(SHOWN_CHARS).collect();
    if s.chars().count() > SHOWN_CHARS {
        out.push('…');
    }
    out
}

/// The one value of an instant query's answer (HTTP `status` and `body`).
pub(crate) fn value(status: u16, body: &[u8]) -> Result<f64, Problem> {
    let v: serde_json::Value = serde_json::from_slice(body).map_err(|_| {
        Problem::NotPrometheus(format!(
            "HTTP {status}, {} bytes that are not JSON",
            body.len()
        ))
    })?;
    match v["status"].as_str() {
        Some("success") if (200..300).contains(&status) => {}
        // Bad queries are 400, failed evaluations 422; others mean the server is in trouble.
        Some("error") if status == 400 || status == 422 => {
            return Err(Problem::Refused {
                kind: short(v["errorType"].as_str().unwrap_or("error")),
                error: short(v["error"].as_str().unwrap_or("")),
            });
        }
        _ => {
            let said = v["error"].as_str().map(|e| format!(": {}", short(e)));
            return Err(Problem::NotPrometheus(format!(
                "HTTP {status}{}",
                said.unwrap_or_default()
            )));
        }
    }
    let data = &v["data"];
    let result = &data["result"];
    let sample = match data["resultType"].as_str() {
        Some("vector") => {
            let series = result
                .as_array()
                .ok_or_else(|| Problem::NotPrometheus("a vector that is not a list".into()))?;
            match series.as_slice() {
                [] => return Err(Problem::Empty),
                [one] => &one["value"],
                many => {
                    let labels = many.iter().take(3).map(|s| labels(&s["metric"])).collect();
                    return Err(Problem::Several(many.len(), labels));
                }
            }
        }
        Some("scalar") => result,
        Some(other) => return Err(Problem::WrongType(short(other))),
        None => return Err(Problem::NotPrometheus("no resultType".into())),
    };
    // A sample is `[time, "value"]`, the value a string so that NaN and Inf fit.
    let text = sample[1]
        .as_str()
        .ok_or_else(|| Problem::NotPrometheus("a sample without a value".into()))?;
    match text.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        _ => Err(Problem::NotFinite(short(text))),
    }
}

/// A series' labels as PromQL writes them: `{job="api",instance="a"}`.
fn labels(metric: &serde_json::Value) -> String {
    let Some(map) = metric.as_object() else {
        return "{}".to_owned();
    };
    let inner: Vec<String> = map
        .iter()
        .map(|(k, v)| {
            format!(
                "{k}={}",
                v.as_str().map_or(v.to_string(), |s| format!("{s:?}"))
            )
        })
        .collect();
    short(&format!("{{{}}}", inner.join(",")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_cannot_leave_the_query_string() {
        assert_eq!(
            query_url(
                "https://p:9090",
                "sum(rate(x{job=\"a b\"}[5m]))",
                1700000000042
            ),
            "https://p:9090/api/v1/query?query=sum%28rate%28x%7Bjob%3D%22a%20b%22%7D%5B5m%5D%29%29&time=1700000000.042"
        );
        let u = query_url(
            "http://127.0.0.1:9090/prom",
            "up&time=0#x/../@evil.example/?",
            5000,
        );
        assert_eq!(
            u,
            "http://127.0.0.1:9090/prom/api/v1/query?query=up%26time%3D0%23x%2F..%2F%40evil.example%2F%3F&time=5.000"
        );
        assert_eq!(percent_encode("é\n"), "%C3%A9%0A");
    }

    fn answer(result_type: &str, result: &str) -> Vec<u8> {
        format!("{{\"status\":\"success\",\"data\":{{\"resultType\":\"{result_type}\",\"result\":{result}}}}}").into_bytes()
    }

    proptest::proptest! {
        // Answers are the server's: any bytes give a value or a problem, never a panic.
        #[test]
        fn any_answer_is_judged_without_a_panic(
            status in 100u16..600,
            body in proptest::collection::vec(proptest::num::u8::ANY, 0..200),
        ) {
            let _ = value(status, &body);
        }
    }

    #[test]
    fn one_sample_is_the_value() {
        let one = answer(
            "vector",
            "[{\"metric\":{\"job\":\"api\"},\"value\":[1700000000.5,\"212.5\"]}]",
        );
        assert_eq!(value(200, &one), Ok(212.5));
        assert_eq!(value(200, &answer("scalar", "[1700000000,\"3\"]")), Ok(3.0));
    }

    #[test]
    fn anything_else_is_a_problem_that_names_the_query() {
        assert_eq!(value(200, &answer("vector", "[]")), Err(Problem::Empty));
        let two = answer(
            "vector",
            "[{\"metric\":{\"instance\":\"a\"},\"value\":[1,\"1\"]},{\"metric\":{\"instance\":\"b\"},\"value\":[1,\"2\"]}]",
        );
        let e = value(200, &two).unwrap_err();
        assert_eq!(
            e,
            Problem::Several(
                2,
                vec!["{instance=\"a\"}".into(), "{instance=\"b\"}".into()]
            )
        );
        assert!(
            e.describe("up")
                .contains("`up` returned 2 series ({instance=\"a\"}, {instance=\"b\"})")
        );
        for v in ["NaN", "+Inf", "-Inf", "x"] {
            let nan = answer("scalar", &format!("[1,\"{v}\"]"));
            assert_eq!(value(200, &nan), Err(Problem::NotFinite(v.into())));
        }
        assert_eq!(
            value(200, &answer("matrix", "[]")),
            Err(Problem::WrongType("matrix".into()))
        );
        let bad = br#"{"status":"error","errorType":"bad_data","error":"1:4: parse error: unexpected <EOF>"}"#;
        let e = value(400, bad).unwrap_err();
        assert!(!e.is_unreachable());
        assert!(
            e.describe("up{").contains("(bad_data): 1:4: parse error"),
            "{}",
            e.describe("up{")
        );
        for (status, body) in [
            (200, &b"<html>login</html>"[..]),
            (503, br#"{"status":"error","error":"overloaded"}"#),
            (401, b"unauthorized"),
            (200, br#"{"status":"success"}"#),
        ] {
            let e = value(status, body).unwrap_err();
            assert!(e.is_unreachable(), "{status}: {e:?}");
        }
        let long = format!(
            "{{\"status\":\"error\",\"errorType\":\"x\",\"error\":\"{}\"}}",
            "e".repeat(10_000)
        );
        let e = value(422, long.as_bytes()).unwrap_err().describe("q");
        assert!(e.len() < 400, "{}", e.len());
    }
}
