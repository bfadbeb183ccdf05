#!/usr/bin/env python3
"""Writes the hand-made seed inputs of every fuzz target into fuzz/seeds/<target>/.

Sources: the vendor's OpenAPI document (a full and a minimal example of each
success response, built from the schemas and their property examples), the
error bodies and failure-mode messages of errors.mdx and rate-limits.mdx,
the captured docs page (seed-errors-page.txt) as a non-JSON body, and
hand-written edge cases. Responses of a real sandbox are added by
`cargo test --test fuzz_corpus -- --ignored write_sandbox_seeds`.

    python3 fuzz/seeds.py [--docs DIR] [--page FILE]

The input formats are described in fuzz/targets_common.rs.
"""

import argparse
import hashlib
import json
import pathlib
import re
import struct

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent

# Endpoint -> the SDK model its success body decodes as (src/api/*.rs).
MODELS = {
    ("post", "/scans"): "CreatedScan",
    ("get", "/scans"): "Page<Scan>",
    ("get", "/scans/{id}/status"): "ScanStatus",
    ("get", "/scans/{id}/findings"): "Page<Finding>",
    ("get", "/scans/{id}"): "Scan",
    ("get", "/findings"): "Page<Finding>",
    ("patch", "/findings/{id}"): "UpdatedFinding",
    ("get", "/findings/{id}"): "FindingDetail",
    ("post", "/findings/{id}/comments"): "AddedComment",
    ("post", "/cost-estimations"): "CostEstimation",
    ("get", "/cost-estimations"): "OffsetPage<CostEstimation>",
    ("get", "/cost-estimations/{id}"): "CostEstimation",
    ("get", "/repos"): "RepoList",
    ("post", "/hfw/verdicts/batch"): "BatchVerdicts",
    ("get", "/hfw/osv/feed"): "OsvFeed",
    ("get", "/hfw/verdict/{ecosystem}/{packageName}"): "Verdict",
    ("get", "/hfw/verdict/{ecosystem}/{scope}/{packageName}"): "Verdict",
}

FAILURE_MODES = [
    (401, "This endpoint requires API key authentication (X-Api-Key header)"),
    (401, "API key authentication is only supported on /api/v1/rest/ endpoints"),
    (403, "API key missing required scope: write"),
    (402, "Insufficient credits to start this scan"),
    (400, "cost_estimation_id is required for pentest scans"),
    (400, "Cost estimation is not ready"),
    (400, "Repository or archive https://github.com/acme/webapp was not included in the cost estimation"),
    (400, "Repository or archive 'backend.zip' was not included in the cost estimation"),
    (400, "Branch 'dev' does not match the cost estimation branch"),
    (400, "Branch `feature/x` does not match the cost estimation branch"),
    (404, "Finding not found"),
    (401, "Missing API key"),
    (401, "Invalid API key"),
    (401, "API key has been revoked"),
    (409, "Maximum number of active API keys reached"),
    (429, "ThrottlerException: Too Many Requests"),
    (500, "Internal server error"),
]

REASONS = {400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden",
           404: "Not Found", 409: "Conflict", 429: None, 500: None}

RETRY_AFTER = [
    "0", "1", "120", "  7  ", "-1", "1.5", "1e3", "0x10", "",
    "18446744073709551615", "18446744073709551616", "99999999999999999999999999999999999999",
    "Wed, 21 Oct 2015 07:28:00 GMT", "Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
    "Sun Nov  6 08:49:37 1994", "Thu, 01 Jan 1970 00:00:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT",
    "Mon, 01 Jan 20x4 00:00:00 GMT", "Fri, 31 Dec 300000000000 23:59:59 GMT",
    "Fri, 31 Dec 99999999999999999 23:59:59 GMT", "Tue, 29 Feb 2100 00:00:00 GMT",
    "Sat, 01 Jan 2000 24:00:00 GMT", "Mon, 32 Foo 2024 25:61:61 GMT", "soon", "\t3",
]


def write(target, name, data):
    if isinstance(data, str):
        data = data.encode()
    d = HERE / "seeds" / target
    d.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha1(data).hexdigest()[:12]
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", name)
    (d / f"{name}-{digest}").write_bytes(data)


def response(status, body, headers=(), extra=""):
    head = f"{status}{extra}\n" + "".join(f"{k}: {v}\n" for k, v in headers)
    body = body if isinstance(body, bytes) else body.encode()
    return head.encode() + b"\n" + body


class Examples:
    def __init__(self, spec):
        self.spec = spec

    def resolve(self, schema):
        while "$ref" in schema:
            node = self.spec
            for part in schema["$ref"].lstrip("#/").split("/"):
                node = node[part]
            schema = node
        return schema

    def build(self, schema, minimal=False, depth=0):
        schema = self.resolve(schema)
        if depth > 12:
            return None
        if "example" in schema and schema.get("type") not in ("object", "array"):
            return schema["example"]
        for key in ("allOf",):
            if key in schema:
                out = {}
                for part in schema[key]:
                    v = self.build(part, minimal, depth + 1)
                    if isinstance(v, dict):
                        out.update(v)
                return out
        for key in ("oneOf", "anyOf"):
            if key in schema:
                options = [s for s in schema[key] if self.resolve(s).get("type") != "null"]
                return self.build((options or schema[key])[0], minimal, depth + 1)
        if "enum" in schema:
            return schema["enum"][0]
        t = schema.get("type")
        if isinstance(t, list):
            t = next((x for x in t if x != "null"), "null")
        if t == "object" or "properties" in schema:
            props = schema.get("properties", {})
            required = set(schema.get("required", []))
            return {k: self.build(v, minimal, depth + 1) for k, v in props.items() if not minimal or k in required}
        if t == "array":
            if "example" in schema:
                return schema["example"]
            return [] if minimal else [self.build(schema.get("items", {}), minimal, depth + 1)]
        if t == "string":
            fmt = schema.get("format")
            return {"date-time": "2026-03-10T12:00:00.000Z", "uuid": "3f1c2b9e-8a4d-4c6e-9b1a-2d7e5f0c8a11",
                    "uri": "https://github.com/acme/webapp"}.get(fmt, "string")
        if t == "integer":
            return 1
        if t == "number":
            return 1.5
        if t == "boolean":
            return True
        return None


def openapi_seeds(docs):
    spec = json.loads((docs / "openapi.json").read_text())
    ex = Examples(spec)
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            model = MODELS.get((method, path))
            for code, resp in op.get("responses", {}).items():
                schema = (resp.get("content") or {}).get("application/json", {}).get("schema")
                if code.startswith("2") and model and schema:
                    for minimal in (False, True):
                        body = json.dumps(ex.build(schema, minimal))
                        write("decode", f"openapi-{model}-{'min' if minimal else 'full'}", f"{model}\n{body}")
                elif not code.startswith("2"):
                    status = int(code) if code.isdigit() else 400
                    desc = resp.get("description", "")
                    body = json.dumps({"statusCode": status, "message": desc or "error"})
                    write("classify", f"openapi-{status}", response(status, body, [("Content-Type", "application/json")]))
                    write("error_body", f"openapi-{status}", body)


def docs_seeds(docs, page):
    text = (docs / "errors.mdx").read_text() + (docs / "rate-limits.mdx").read_text()
    for block in re.findall(r"```json\n(.*?)```", text, re.S):
        body = json.dumps(json.loads(block))
        status = json.loads(block).get("statusCode", 400)
        write("error_body", "docs", body)
        write("classify", "docs", response(status, body, [("Content-Type", "application/json")]))
    for status, message in FAILURE_MODES:
        obj = {"statusCode": status, "message": message}
        if REASONS.get(status):
            obj["error"] = REASONS[status]
        body = json.dumps(obj)
        write("error_body", "mode", body)
        write("classify", "mode", response(status, body, [("Content-Type", "application/json")]))
        # A proxy that rewrites the status keeps the message.
        write("classify", "mode-proxied", response(502, body, [("Content-Type", "application/json")], " 3"))
        write("error_body", "mode-array", json.dumps({"statusCode": status, "message": [message, "second"]}))
    shapes = [
        {"statusCode": 400, "message": ["repos must contain at least 1 elements", "cost_estimation_id must be a UUID"], "error": "Bad Request"},
        {"statusCode": 400, "message": [{"property": "repos", "constraints": {"arrayMinSize": "repos must contain at least 1 elements", "isArray": "repos must be an array"}}, {"property": "x"}]},
        {"message": [{"property": "a", "constraints": {}}, {"constraints": {"n": 5}}, 7, None, True, [1, 2]]},
        {"message": None, "detail": "deploy 41 holds the lock"},
        {"title": "Service Unavailable", "error_description": "x"},
        {"error": "Not Found"},
        {"error": {"code": 5}, "message": {"nested": ["x"]}},
        {"message": 12345678901234567890123},
        {"message": "x\u0000\n\t\u202e\ud7ff"},
        {"message": ""},
        {},
        [],
        "Internal server error",
    ]
    for obj in shapes:
        body = json.dumps(obj)
        write("error_body", "shape", body)
        write("classify", "shape", response(400, body))
    for raw in [b"", b"null", b"{", b"{\"message\":\"\\ud800\"}", b"\xff\xfe{}", b"{\"message\":\"a\"}{\"b\":1}",
                b"[" * 200 + b"]" * 200, b"{\"message\":" * 100 + b"1" + b"}" * 100,
                b"<html><body><h1>502 Bad Gateway</h1></body></html>"]:
        write("error_body", "raw", raw)
        write("classify", "raw", response(502, raw, [("Content-Type", "text/html")]))
    page_text = page.read_bytes()
    write("error_body", "page", page_text)
    write("classify", "page", response(503, page_text, [("Content-Type", "text/html"), ("Retry-After", "30")], " 4 t"))
    for status in [100, 200, 204, 301, 400, 401, 402, 403, 404, 409, 418, 422, 429, 500, 502, 503, 504, 599, 999]:
        write("classify", "status", response(status, "", []))


def retry_seeds():
    throttled = json.dumps({"statusCode": 429, "message": "ThrottlerException: Too Many Requests"})
    for i, value in enumerate(RETRY_AFTER):
        for status in (429, 503):
            headers = [("Content-Type", "application/json"), ("Retry-After", value),
                       ("X-RateLimit-Limit", "100"), ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", value)]
            write("retry_after", f"value{i}", response(status, throttled if status == 429 else "", headers))
        write("classify", f"retry{i}", response(429, throttled, [("Retry-After", value)]))
    write("retry_after", "two", response(429, throttled, [("Retry-After", "1"), ("Retry-After", "Fri, 31 Dec 9999 23:59:59 GMT")]))
    write("retry_after", "nonascii", response(429, throttled, [("Retry-After", "\u00e9\u00e9")]))
    for status in (200, 500, 502, 504, 400):
        write("retry_after", "status", response(status, "{}", [("Retry-After", "0")]))
    scan = {"id": "scan_1", "status": "completed", "scan_type": "pr", "created_at": "2026-03-10T12:00:00.000Z"}
    write("retry_after", "ok", response(200, json.dumps(scan), [("Content-Type", "application/json")]))


def stream_seed(chunks, fails=False, limit=65535, no_limit=False, writer_room=None):
    flags = (1 if fails else 0) | (2 if writer_room is not None else 0) | (4 if no_limit else 0)
    cuts = [len(c) for c in chunks[:-1]]
    out = struct.pack("<BHB", flags, limit, len(cuts)) + bytes(cuts)
    if writer_room is not None:
        out += bytes([writer_room])
    return out + b"".join(chunks)


def byte_stream_seeds(page):
    csv = b"id,severity,title\nf_1,critical,SQL injection\nf_2,high,IDOR\n"
    sarif = json.dumps({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "Hacktron"}}, "results": []}]}).encode()
    cases = [
        ([b""], {}),
        ([csv], {}),
        ([csv[:10], csv[10:30], csv[30:]], {}),
        ([b"", csv, b""], {}),
        ([csv[:4]], {"fails": True}),
        ([csv[:20], csv[20:]], {"fails": True}),
        ([sarif], {"limit": 16}),
        ([sarif], {"limit": len(sarif)}),
        ([sarif[:50], sarif[50:]], {"limit": len(sarif) - 1}),
        ([sarif], {"no_limit": True}),
        ([csv[:10], csv[10:]], {"writer_room": 15}),
        ([csv], {"writer_room": 0}),
        ([b"\xff\xfe\x00 not utf-8"], {}),
        ([b'{"data":[],"total":0,"page":1,"limit":15}'], {}),
        ([page.read_bytes()[:200], page.read_bytes()[200:700]], {}),
    ]
    for i, (chunks, opts) in enumerate(cases):
        write("byte_stream", f"case{i}", stream_seed(chunks, **opts))


def sandbox_seeds():
    def req(method, target, key="$rw", body=None, headers=(), ctype="application/json"):
        head = f"{method} {target}\n"
        if key:
            head += f"X-Api-Key: {key}\n"
        for k, v in headers:
            head += f"{k}: {v}\n"
        if body is not None:
            head += f"Content-Type: {ctype}\n"
        return head + "\n" + (body if body is not None else "")

    est = json.dumps({"repos": [{"repo_url": "https://github.com/acme/webapp", "branch": "main"}]})
    scan = json.dumps({"repos": [{"url": "https://github.com/acme/webapp", "branch": "main"}],
                       "cost_estimation_id": "$estimation"})
    cases = [
        req("GET", "/v1/cost-estimations"),
        req("GET", "/v1/cost-estimations?limit=5&offset=1"),
        req("POST", "/v1/cost-estimations", body=est),
        req("POST", "/v1/cost-estimations", body='{"repos":[]}'),
        req("POST", "/v1/cost-estimations", body='{"archives":[{"archive_id":"a.zip"}]}'),
        req("GET", "/v1/cost-estimations/$estimation"),
        req("GET", "/v1/scans"),
        req("GET", "/v1/scans?page=2&limit=1&status=completed&sort_order=ASC"),
        req("GET", "/v1/scans?page=4294967295&limit=15"),
        req("POST", "/v1/scans", body=scan),
        req("POST", "/v1/scans", body=json.dumps({"repos": [{"url": "https://github.com/acme/webapp", "branch": "dev"}], "target_urls": ["https://app.example.com"]})),
        req("POST", "/v1/scans", key="$ro", body=scan),
        req("GET", "/v1/scans/$scan"),
        req("GET", "/v1/scans/$scan/status"),
        req("GET", "/v1/scans/$scan/findings?severity=critical"),
        req("GET", "/v1/scans/$scan/findings/export?format=csv"),
        req("GET", "/v1/scans/$scan/findings/export?format=sarif"),
        req("GET", "/v1/scans/$other_scan", key="$rw"),
        req("GET", "/v1/findings"),
        req("GET", "/v1/findings?severity=high&state=open&sort_by=severity&sort_order=DESC&page=1&limit=100"),
        req("GET", "/v1/findings/export?format=json"),
        req("GET", "/v1/findings/$finding"),
        req("GET", "/v1/findings/$hidden"),
        req("PATCH", "/v1/findings/$finding", body='{"state":"false_positive","comment":"no"}'),
        req("POST", "/v1/findings/$finding/comments", body='{"comment":"looked at it"}'),
        req("GET", "/v1/repos"),
        req("GET", "/v1/hfw/verdict/npm/evil-pkg", key=None),
        req("GET", "/v1/hfw/verdict/npm/@evil/stealer?version=0.0.1", key=None),
        req("GET", "/v1/hfw/verdict/pypi/suspicious-lib?version=1.0", key=None),
        req("POST", "/v1/hfw/verdicts/batch", key=None, body='{"packages":[{"ecosystem":"npm","name":"event-stream","version":"3.3.6"}]}'),
        req("GET", "/v1/hfw/osv/feed?since=2026-01-01T00:00:00Z&limit=10", key=None),
        req("GET", "/v1/_sandbox/keys", key="$admin"),
        req("POST", "/v1/_sandbox/keys", key="$admin", body='{"name":"ci","scopes":["read"]}'),
        req("GET", "/api/v1/rest/scans"),
        req("GET", "/api/dashboard", key="$rw"),
        req("GET", "/v1/scans", key="$revoked"),
        req("GET", "/v1/scans", key=None, headers=[("Authorization", "Bearer eyJhbGciOi")]),
        req("GET", "/v1/scans", key="hacktron_short"),
        req("DELETE", "/v1/scans/$scan"),
        req("GET", "/v1/scans/%2e%2e/%00"),
        req("POST", "/v1/cost-estimations", body=est, ctype="text/plain"),
        req("POST", "/v1/cost-estimations", body="{not json"),
        req("GET", "/v2/nothing"),
    ]
    for i, case in enumerate(cases):
        write("sandbox_request", f"route{i}", case)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", default="/work/shared/reference/hacktron-api-docs")
    ap.add_argument("--page", default="/work/shared/reference/seed-errors-page.txt")
    args = ap.parse_args()
    docs, page = pathlib.Path(args.docs), pathlib.Path(args.page)
    openapi_seeds(docs)
    docs_seeds(docs, page)
    retry_seeds()
    byte_stream_seeds(page)
    sandbox_seeds()
    for d in sorted((HERE / "seeds").iterdir()):
        files = list(d.iterdir())
        print(f"{d.name}: {len(files)} seeds, {sum(f.stat().st_size for f in files)} bytes")


if __name__ == "__main__":
    main()
