//! The public `hfw` (dependency firewall) routes: no key needed, canned verdicts.

use serde::Serialize;
use serde_json::{Value, json};

use super::{Ctx, ok, window};
use crate::error::{ApiError, ApiResult, Check, QueryCheck, one_of_message, parse_body};

const ECOSYSTEMS: &[&str] = &["npm", "pypi"];

/// The known-malware feed: `(ecosystem, package, versions)`.
const FEED: &[(&str, &str, &[&str])] = &[
    ("npm", "evil-pkg", &["1.0.0", "1.0.1", "2.0.0"]),
    ("npm", "@evil/stealer", &["0.0.1", "0.0.2"]),
    ("npm", "event-stream", &["3.3.6"]),
    ("pypi", "evil-pkg", &["0.1.0"]),
];

/// `RestHfwVerdictResponseDto`.
#[derive(Serialize)]
struct Verdict {
    status: &'static str,
    ecosystem: String,
    package: String,
    version: String,
    level: &'static str,
    confidence: &'static str,
    summary: &'static str,
    findings: Vec<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    osv_id: Option<String>,
}

fn verdict_for(ecosystem: &str, package: &str, version: &str) -> Verdict {
    let on_feed = FEED.iter().position(|(eco, name, versions)| {
        *eco == ecosystem && *name == package && (package == "evil-pkg" || versions.contains(&version))
    });
    let lower = package.to_ascii_lowercase();
    let mut verdict = Verdict {
        status: "ready",
        ecosystem: ecosystem.into(),
        package: package.into(),
        version: version.into(),
        level: "clean",
        confidence: "high",
        summary: "No known malicious behaviour for this version.",
        findings: Vec::new(),
        source: Some("feed"),
        osv_id: None,
    };
    if let Some(index) = on_feed {
        verdict.level = "malicious";
        verdict.summary = "Known malicious package: its install script exfiltrates environment variables.";
        verdict.findings = vec![json!({
            "type": "install_script",
            "severity": "critical",
            "description": "postinstall script sends process.env to a remote host",
        })];
        verdict.source = Some("osv");
        verdict.osv_id = Some(format!("MAL-2026-{:04}", index + 1));
    } else if lower.contains("suspicious") {
        verdict.level = "suspicious";
        verdict.confidence = "medium";
        verdict.summary = "Obfuscated install script that contacts the network.";
        verdict.findings = vec![json!({
            "type": "obfuscation",
            "severity": "medium",
            "description": "install script is base64-obfuscated",
        })];
        verdict.source = Some("heuristics");
    } else if lower.contains("unknown") {
        verdict.status = "pending";
        verdict.level = "unknown";
        verdict.confidence = "none";
        verdict.summary = "No verdict is available yet for this package version.";
        verdict.source = None;
    }
    verdict
}

/// `GET /hfw/verdict/{ecosystem}/{packageName}` and the scoped npm variant
/// `GET /hfw/verdict/{ecosystem}/{scope}/{packageName}`.
pub(crate) fn verdict(ctx: &Ctx, ecosystem: &str, scope: Option<&str>, name: &str) -> ApiResult {
    let mut query = QueryCheck::new(&ctx.query);
    let version = query.raw("version").unwrap_or_default();
    if version.is_empty() {
        query.errors.push("version should not be empty".into());
        query.errors.push("version must be a string".into());
    }
    query.int("wait_seconds", 0, 0, Some(60));
    if !ECOSYSTEMS.contains(&ecosystem) {
        query.errors.push(format!("ecosystem {}", one_of_message(ECOSYSTEMS)));
    }
    query.finish()?;
    let package = match scope {
        None => name.to_string(),
        Some(_) if ecosystem != "npm" => {
            return Err(ApiError::bad_request(
                "Scoped packages are only supported for the npm ecosystem",
            ));
        }
        Some(scope) => format!("@{}/{name}", scope.trim_start_matches('@')),
    };
    ok(&verdict_for(ecosystem, &package, version))
}

#[derive(Serialize)]
struct Batch {
    status: &'static str,
    verdicts: Vec<Verdict>,
    errors: Vec<Value>,
}

/// `POST /hfw/verdicts/batch` (`RestHfwBatchRequestDto`).
pub(crate) fn batch(ctx: &Ctx) -> ApiResult {
    let body = parse_body(&ctx.body)?;
    let mut check = Check::new(&body);
    let mut packages = Vec::new();
    if let Some(items) = check.array("packages", true, None, Some(100)) {
        for (i, obj) in check.objects("packages", items) {
            let mut p = check.child(obj, format!("packages.{i}."));
            let ecosystem = p.one_of("ecosystem", true, ECOSYSTEMS);
            let package = p.string("package", true, None);
            let version = p.string("version", true, None);
            if let (Some(e), Some(p), Some(v)) = (ecosystem, package, version) {
                packages.push((e, p, v));
            }
            check.absorb(p);
        }
    }
    check.finish()?;
    let verdicts = packages.into_iter().map(|(e, p, v)| verdict_for(e, p, v)).collect();
    ok(&Batch {
        status: "ok",
        verdicts,
        errors: Vec::new(),
    })
}

#[derive(Serialize)]
struct FeedEntry {
    ecosystem: &'static str,
    package: &'static str,
    versions: &'static [&'static str],
}

#[derive(Serialize)]
struct Feed {
    total: usize,
    results: Vec<FeedEntry>,
}

/// `GET /hfw/osv/feed?limit&offset`.
pub(crate) fn feed(ctx: &Ctx) -> ApiResult {
    let mut query = QueryCheck::new(&ctx.query);
    let limit = query.int("limit", 200, 1, Some(500));
    let offset = query.int("offset", 0, 0, None);
    query.finish()?;
    let results = FEED
        .iter()
        .skip(window(Some(offset)))
        .take(window(Some(limit)))
        .map(|&(ecosystem, package, versions)| FeedEntry {
            ecosystem,
            package,
            versions,
        })
        .collect();
    ok(&Feed {
        total: FEED.len(),
        results,
    })
}
