"""A canonical Report built by hand: failing, passing and waived findings, input and evaluation
problems, a manifest structure. Every renderer test renders this one object."""

from __future__ import annotations

from checker.model import (
    EngineInfo,
    Finding,
    InputSummary,
    Movement,
    Problem,
    Report,
    RuleMeta,
    Severity,
    Waiver,
)
from checker.topology import DatasetNode, LocationNode, StageNode, Topology, TransferEdge

MANIFEST = "deploy/clinical notes,v2.yaml"  # a space, a comma: escaping in every format
DEPLOYMENT = "clinical-notes"
WAIVER = Waiver(
    rule="HIPAA-ENC-001",
    reason="compensating control: encrypted SAN, ticket SEC-123",
    approved_by="ciso@example.com",
    expires="2027-01-31",
    deployment=DEPLOYMENT,
    stage="train",
    source=".tdcheck-waivers.yaml",
    line=2,
)
UNUSED = Waiver(
    rule="HIPAA-AUD-001",
    reason="legacy cluster, ticket SEC-9",
    approved_by="ciso@example.com",
    expires="2027-03-01",
    source=".tdcheck-waivers.yaml",
    line=9,
)


def rule(rule_id: str, framework: str, severity: Severity, subject: str, title: str) -> RuleMeta:
    return RuleMeta(
        rule_id=rule_id,
        title=title,
        description=f"{title}. A longer description.",
        framework=framework,
        severity=severity,
        subject=subject,
        citation=f"citation of {rule_id}",
        remediation=f"how to fix {rule_id}",
        package=f"tdcheck.rules.{rule_id.lower().replace('-', '_')}",
        source=f"policies/rules/{framework}/x.rego",
    )


RULES = (
    rule(
        "HIPAA-BAA-001", "hipaa", Severity.ERROR, "stage", "Third parties handling PHI have a BAA"
    ),
    rule("HIPAA-ENC-001", "hipaa", Severity.WARNING, "stage", "PHI is encrypted at rest"),
    rule("HIPAA-AUD-001", "hipaa", Severity.ERROR, "stage", "Access to PHI is audited"),
    rule("HYB-ENC-001", "hybrid", Severity.ERROR, "movement", "Regulated data is encrypted"),
    rule("ADV-COST-001", "advisory", Severity.ADVISORY, "location", "Capacity is used enough"),
)
META = {m.rule_id: m for m in RULES}


def finding(rule_id: str, status: str, message: str, line: int, **where: object) -> Finding:
    meta = META[rule_id]
    return Finding(
        rule_id=rule_id,
        framework=meta.framework,
        severity=meta.severity,
        status=status,
        subject=meta.subject,
        stage=where.get("stage"),  # type: ignore[arg-type]
        location=where.get("location"),  # type: ignore[arg-type]
        transfer=where.get("transfer"),  # type: ignore[arg-type]
        message=message,
        path=("spec", "locations", 1, "hipaa_baa"),
        title=meta.title,
        citation=meta.citation,
        remediation=meta.remediation,
        manifest=MANIFEST,
        deployment=DEPLOYMENT,
        line=line,
        column=5,
        waiver=where.get("waiver"),  # type: ignore[arg-type]
    )


MOVE = Movement("dc", "eu-gpu", ("notes",))
FINDINGS = (
    finding(
        "HIPAA-BAA-001",
        "fail",
        "stage train at eu-gpu handles PHI: 100% third party, no BAA\r\nsee: ticket",
        31,
        stage="train",
        location="eu-gpu",
    ),
    finding("HYB-ENC-001", "fail", "transfer dc->eu-gpu: encryption none", 40, transfer=MOVE),
    finding("ADV-COST-001", "fail", "location dc used 40%, under 65%", 12, location="dc"),
    finding(
        "HIPAA-ENC-001",
        "waived",
        "encryption_at_rest is none",
        33,
        stage="train",
        location="eu-gpu",
        waiver=WAIVER,
    ),
    finding("HIPAA-AUD-001", "pass", "audit_logging is true", 14, stage="ingest", location="dc"),
    finding("HIPAA-BAA-001", "pass", "operator self", 10, stage="ingest", location="dc"),
)
TOPOLOGY = Topology(
    manifest=MANIFEST,
    deployment=DEPLOYMENT,
    datasets=(
        DatasetNode("notes", ("phi",)),
        DatasetNode("model", ("internal",)),
    ),
    locations=(
        LocationNode("dc", "on_premises", "US"),
        LocationNode("eu-gpu", "public_cloud", "DE"),
    ),
    stages=(
        StageNode("ingest", "ingestion", "dc", (), ("notes",)),
        StageNode("train", "training", "eu-gpu", ("notes",), ("model",)),
    ),
    transfers=(TransferEdge("notes-out", "dc", "eu-gpu", ("notes",), "private_link", "none"),),
)
PROBLEMS = (
    Problem(
        "input", "deploy/broken.yaml", 3, 7, "$.spec: unknown field 'hipa_baa', expected hipaa_baa"
    ),
    Problem("evaluation", "deploy/other.yaml", 1, 1, "not evaluated: policy evaluation failed"),
)


def canonical_report() -> Report:
    return Report(
        tool_version="0.1.0",
        engine=EngineInfo("embedded", "regopy 1.5.2"),
        policy_digest="sha256:" + "ab" * 32,
        as_of="2026-11-28",
        fail_on="error",
        inputs=(
            InputSummary(MANIFEST, "cd" * 32, (DEPLOYMENT,), ()),
            InputSummary("deploy/broken.yaml", "ef" * 32, ("broken",), (PROBLEMS[0].one_line(),)),
            InputSummary("deploy/other.yaml", "01" * 32, ("other",), ()),
        ),
        findings=FINDINGS,
        problems=PROBLEMS,
        rules=RULES,
        manifests_valid=2,
        manifests_invalid=1,
        frameworks=("advisory", "hipaa", "hybrid"),
        waivers=(WAIVER, UNUSED),
        unused_waivers=(UNUSED,),
        topologies=(TOPOLOGY,),
    )
