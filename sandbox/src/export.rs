//! Findings exports: a JSON array, CSV with a header row, or a SARIF 2.1.0 log.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use serde_json::json;

use crate::error::{json_response, raw_response};
use crate::state::Finding;

/// An export format (`format=json|csv|sarif`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    Json,
    Csv,
    Sarif,
}

impl Format {
    pub(crate) const NAMES: &[&str] = &["json", "csv", "sarif"];

    pub(crate) fn parse(name: &str) -> Option<Format> {
        match name {
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            "sarif" => Some(Format::Sarif),
            _ => None,
        }
    }
}

/// Renders `findings` with the documented content type; CSV and SARIF are
/// attachments named `<stem>.csv` / `<stem>.sarif`.
pub(crate) fn render(format: Format, findings: &[&Finding], stem: &str) -> Response {
    let (mut response, extension) = match format {
        Format::Json => return json_response(StatusCode::OK, findings),
        Format::Csv => (
            raw_response(StatusCode::OK, "text/csv; charset=utf-8", csv(findings)),
            "csv",
        ),
        Format::Sarif => (
            raw_response(
                StatusCode::OK,
                "application/sarif+json; charset=utf-8",
                sarif(findings).to_string(),
            ),
            "sarif",
        ),
    };
    let disposition = format!("attachment; filename=\"{stem}.{extension}\"");
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        response.headers_mut().insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

const CSV_COLUMNS: &[&str] = &[
    "id",
    "title",
    "category",
    "severity",
    "state",
    "affected_file",
    "repo_url",
    "scan_id",
    "scan_type",
    "tags",
    "found_at",
    "updated_at",
    "resolved_at",
    "description",
];

/// RFC 4180: quote fields containing a comma, quote or line break.
fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

fn csv(findings: &[&Finding]) -> String {
    let mut out = CSV_COLUMNS.join(",") + "\r\n";
    for f in findings {
        let row = [
            f.id.clone(),
            f.title.to_string(),
            f.category.to_string(),
            f.severity.to_string(),
            f.state.to_string(),
            f.affected_file.to_string(),
            f.repo_url.clone().unwrap_or_default(),
            f.scan_id.clone().unwrap_or_default(),
            f.scan_type.to_string(),
            f.tags.join(";"),
            f.found_at.to_string(),
            f.updated_at.to_string(),
            f.resolved_at.map(|t| t.to_string()).unwrap_or_default(),
            f.description.to_string(),
        ];
        out += &row.iter().map(|v| csv_field(v)).collect::<Vec<_>>().join(",");
        out += "\r\n";
    }
    out
}

fn level(severity: &str) -> &'static str {
    match severity {
        "critical" | "high" => "error",
        "medium" => "warning",
        _ => "note",
    }
}

fn sarif(findings: &[&Finding]) -> serde_json::Value {
    let mut rules: Vec<&str> = findings.iter().map(|f| f.category).collect();
    rules.sort_unstable();
    rules.dedup();
    let rules: Vec<_> = rules
        .iter()
        .map(|id| json!({ "id": id, "name": id, "shortDescription": { "text": id.replace('_', " ") } }))
        .collect();
    let results: Vec<_> = findings
        .iter()
        .map(|f| {
            json!({
                "ruleId": f.category,
                "level": level(f.severity),
                "message": { "text": f.title },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": f.affected_file },
                        "region": { "startLine": f.line, "snippet": { "text": f.affected_code } }
                    }
                }],
                "partialFingerprints": { "hacktronFindingId": f.id },
                "properties": {
                    "severity": f.severity,
                    "state": f.state,
                    "scan_id": f.scan_id,
                    "repo_url": f.repo_url,
                    "tags": f.tags,
                }
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "Hacktron",
                    "informationUri": "https://hacktron.ai",
                    "version": "1.0",
                    "rules": rules,
                }
            },
            "results": results,
        }]
    })
}
