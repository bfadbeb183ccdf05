//! The seeded world: organizations, keys, connected repositories, a finished
//! PR scan per organization, and the findings every completed scan produces.

use crate::Keys;
use crate::state::{ACME, GLOBEX, Org, Scan, Scope, State, Summary, TaintStep, UnifiedRepo, short_name};
use crate::util::Ts;

pub(crate) struct Template {
    pub(crate) severity: &'static str,
    pub(crate) approved: bool,
    pub(crate) title: &'static str,
    pub(crate) category: &'static str,
    pub(crate) description: &'static str,
    pub(crate) file: &'static str,
    pub(crate) line: u32,
    pub(crate) code: &'static str,
    pub(crate) poc: Option<&'static str>,
    pub(crate) tags: &'static [&'static str],
}

/// What every completed scan finds in each repository: one approved finding
/// per severity, and one high finding still awaiting verification (hidden).
pub(crate) const TEMPLATES: &[Template] = &[
    Template {
        severity: "critical",
        approved: true,
        title: "SQL injection in user search endpoint",
        category: "injection",
        description: "The `q` query parameter is concatenated into a raw SQL query, letting an unauthenticated attacker read or modify any table.",
        file: "src/routes/users.ts",
        line: 42,
        code: "const rows = await db.query(`SELECT * FROM users WHERE name LIKE '%${req.query.q}%'`);",
        poc: Some("curl 'https://app.example.com/api/users?q=%27%20UNION%20SELECT%20password%20FROM%20users--'"),
        tags: &["cwe-89", "owasp-a03"],
    },
    Template {
        severity: "high",
        approved: true,
        title: "Insecure direct object reference on invoice download",
        category: "broken_access_control",
        description: "Invoices are fetched by id without checking that they belong to the caller's account.",
        file: "src/routes/invoices.ts",
        line: 17,
        code: "const invoice = await Invoice.findByPk(req.params.id);",
        poc: Some("GET /api/invoices/1001 with another tenant's session returns their invoice."),
        tags: &["cwe-639", "owasp-a01"],
    },
    Template {
        severity: "medium",
        approved: true,
        title: "Reflected XSS in search results page",
        category: "xss",
        description: "The search term is rendered into the results page without HTML escaping.",
        file: "src/views/search.tsx",
        line: 88,
        code: "<div dangerouslySetInnerHTML={{ __html: `Results for ${term}` }} />",
        poc: None,
        tags: &["cwe-79", "owasp-a03"],
    },
    Template {
        severity: "low",
        approved: true,
        title: "Missing rate limiting on login endpoint",
        category: "security_misconfiguration",
        description: "The login endpoint accepts unlimited attempts, enabling credential stuffing.",
        file: "src/routes/auth.ts",
        line: 12,
        code: "router.post('/login', loginHandler);",
        poc: None,
        tags: &["cwe-307", "owasp-a07"],
    },
    Template {
        severity: "info",
        approved: true,
        title: "Verbose error messages expose stack traces",
        category: "information_disclosure",
        description: "Unhandled errors return the full stack trace to the client.",
        file: "src/middleware/errors.ts",
        line: 5,
        code: "res.status(500).send(err.stack);",
        poc: None,
        tags: &["cwe-209"],
    },
    Template {
        severity: "high",
        approved: false,
        title: "Possible SSRF in webhook preview",
        category: "ssrf",
        description: "Webhook preview fetches arbitrary URLs; not yet verified.",
        file: "src/routes/webhooks.ts",
        line: 31,
        code: "const preview = await fetch(req.body.url);",
        poc: None,
        tags: &["cwe-918", "owasp-a10"],
    },
];

pub(crate) fn sql_injection_path() -> Vec<TaintStep> {
    let step = |kind, line, symbol, description, code| TaintStep {
        kind,
        file: "src/routes/users.ts",
        line,
        end_line: line,
        symbol,
        description,
        taint_sources: vec!["req.query.q"],
        code,
        code_start_line: line,
        code_end_line: line,
    };
    vec![
        step(
            "source",
            40,
            "searchUsers",
            "User-controlled query parameter `q` enters the handler.",
            "const term = req.query.q;",
        ),
        step(
            "propagation",
            41,
            "searchUsers",
            "The term is interpolated into a SQL string.",
            "const sql = `SELECT * FROM users WHERE name LIKE '%${term}%'`;",
        ),
        step(
            "sink",
            42,
            "db.query",
            "The string is executed as raw SQL.",
            "const rows = await db.query(sql);",
        ),
    ]
}

impl State {
    pub(crate) fn seed(&mut self) -> Keys {
        use Scope::*;
        let day = 86_400_000;
        let base = self.now().0;
        let credits = self.config.initial_credits;
        let acme_repos = vec![
            self.github_repo("acme/webapp", Some(Ts(base - 2 * day)), true),
            self.gitlab_repo("acme/infra", Ts(base - 5 * day)),
            self.github_repo("acme/payments-api", None, false),
            self.bitbucket_repo("acme/legacy-portal"),
        ];
        let globex_repos = vec![self.github_repo("globex/hq", Some(Ts(base - day)), true)];
        self.orgs = vec![
            Org {
                id: ACME.into(),
                credits,
                repos: acme_repos,
            },
            Org {
                id: GLOBEX.into(),
                credits,
                repos: globex_repos,
            },
        ];
        let keys = Keys {
            read_write: self.add_key(ACME, "read-write", vec![Read, Write]),
            read_only: self.add_key(ACME, "read-only", vec![Read]),
            revoked: self.add_key(ACME, "revoked", vec![Read, Write]),
            admin: self.add_key(ACME, "admin", vec![Read, Write, Admin]),
            other_org: self.add_key(GLOBEX, "globex-read-write", vec![Read, Write]),
            acme_org: ACME.into(),
            other_org_id: GLOBEX.into(),
        };
        if let Some(key) = self.keys.iter_mut().find(|k| k.secret == keys.revoked) {
            key.revoked = true;
        }
        // One finished PR review per organization, so findings exist from the start.
        self.seed_pr_scan(
            ACME,
            "https://github.com/acme/webapp",
            "feature/login-form",
            42,
            Ts(base - day),
        );
        self.seed_pr_scan(
            GLOBEX,
            "https://github.com/globex/hq",
            "fix/session-timeout",
            7,
            Ts(base - day),
        );
        keys
    }

    fn github_repo(&mut self, name: &'static str, threat_model: Option<Ts>, pr_scans: bool) -> UnifiedRepo {
        UnifiedRepo {
            installation_id: Some(48_213_377),
            pr_scans_enabled: Some(pr_scans),
            pr_scan_branches: Some(if pr_scans { vec!["main"] } else { vec![] }),
            ..self.repo("github", name, name.to_string(), threat_model)
        }
    }

    fn gitlab_repo(&mut self, name: &'static str, threat_model: Ts) -> UnifiedRepo {
        UnifiedRepo {
            pr_scans_enabled: Some(true),
            pr_scan_branches: Some(vec!["main", "**/release/**"]),
            default_branch: Some("main"),
            visibility: Some("private"),
            webhook_registered: Some(true),
            ..self.repo("gitlab", name, "4242".into(), Some(threat_model))
        }
    }

    fn bitbucket_repo(&mut self, name: &'static str) -> UnifiedRepo {
        let key = format!("{{{}}}", self.rng.uuid());
        UnifiedRepo {
            enabled: false,
            is_private: Some(true),
            ..self.repo("bitbucket", name, key, None)
        }
    }

    fn repo(
        &mut self,
        provider: &'static str,
        name: &'static str,
        key: String,
        threat_model: Option<Ts>,
    ) -> UnifiedRepo {
        UnifiedRepo {
            id: self.rng.uuid(),
            provider,
            name,
            provider_key: key,
            enabled: true,
            threat_model_updated_at: threat_model,
            pr_scans_enabled: None,
            pr_scan_branches: None,
            installation_id: None,
            default_branch: None,
            visibility: None,
            webhook_registered: None,
            is_private: None,
        }
    }

    fn seed_pr_scan(&mut self, org: &str, repo: &str, branch: &str, pr: u32, at: Ts) {
        let id = self.rng.uuid();
        let seq = self.next_seq();
        self.scans.push(Scan {
            task_id: format!("pr_review_{}", self.rng.hex(12)),
            id: id.clone(),
            scan_type: "pr",
            status: "completed",
            name: Some(format!("{} #{pr}", short_name(repo))),
            repo_url: Some(repo.into()),
            branch: Some(branch.into()),
            pr_number: Some(pr),
            target_urls: None,
            findings_summary: Summary::default(),
            created_at: at,
            updated_at: at,
            org: org.into(),
            seq,
            repos: vec![repo.into()],
        });
        self.generate_findings(self.scans.len() - 1, at);
    }
}
