"""`basis` on every finding: verified, contradicted or asserted (providers-v1.md)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from checker.errors import PolicyError
from checker.findings import assign_basis
from checker.model import Finding, RuleMeta, Severity
from checker.policy import rule_metadata
from checker.report.audit import claims
from tests.conftest import FIXTURES, evaluate_file, run_cli

AS_OF = "2026-12-02"
LZA = (
    "https://github.com/awslabs/landing-zone-accelerator-on-aws/blob/main/reference/"
    "sample-configurations/aws-best-practices-govcloud-us/govcloud-us-config/services.md"
)
AZURE_SCOPE = (
    "https://learn.microsoft.com/azure/azure-government/compliance/"
    "azure-services-in-fedramp-auditscope"
)


def meta(rule_id: str, framework: str, verifies: tuple[str, ...] = ()) -> RuleMeta:
    return RuleMeta(
        rule_id, "t", "", framework, Severity.ERROR, "location", "c", "r", "p", "s",
        verifies=verifies,
    )  # fmt: skip


CATALOGUE = {
    "VER-001": meta("VER-001", "verify", ("country",)),
    "VER-002": meta("VER-002", "verify", ("fedramp",)),
    "EVID-001": meta("EVID-001", "verify", ("fedramp",)),
    "GDPR-LOC-001": meta("GDPR-LOC-001", "gdpr"),
    "FEDRAMP-LVL-001": meta("FEDRAMP-LVL-001", "fedramp"),
}


def found(rule_id: str, status: str, path: tuple[str | int, ...]) -> Finding:
    return Finding(
        rule_id, "x", Severity.ERROR, status, "location", None, "l", None, "m", path,
        "t", "c", "r", "a.yaml", "d", 1, 1,
    )  # fmt: skip


def test_a_checked_fact_makes_the_findings_resting_on_it_verified() -> None:
    findings = [
        found("VER-001", "pass", ("spec", "locations", 0, "country")),
        found("GDPR-LOC-001", "pass", ("spec", "locations", 0, "country")),
        found("GDPR-LOC-001", "pass", ("spec", "locations", 1, "country")),
        found("FEDRAMP-LVL-001", "pass", ("spec", "locations", 0, "fedramp", "level")),
    ]
    basis = [f.basis for f in assign_basis(findings, CATALOGUE)]
    # location 1's country and location 0's fedramp were not checked: asserted
    assert basis == ["verified", "verified", "asserted", "asserted"]


def test_a_failed_check_contradicts_and_outweighs_a_pass() -> None:
    findings = [
        found("VER-002", "pass", ("spec", "locations", 2, "fedramp")),
        found("EVID-001", "fail", ("spec", "locations", 2, "fedramp")),
        found("FEDRAMP-LVL-001", "pass", ("spec", "locations", 2, "fedramp", "level")),
    ]
    assert {f.basis for f in assign_basis(findings, CATALOGUE)} == {"contradicted"}


def test_no_checking_rule_leaves_everything_asserted() -> None:
    findings = [found("GDPR-LOC-001", "pass", ("spec", "locations", 0, "country"))]
    assert [f.basis for f in assign_basis(findings, CATALOGUE)] == ["asserted"]


def test_metadata_verifies_must_be_a_list_of_names() -> None:
    source = """# METADATA
# title: t
# custom:
#   id: X-001
#   framework: verify
#   severity: error
#   subject: location
#   citation: c
#   remediation: r
#   verifies: country
package tdcheck.rules.x
"""
    with pytest.raises(PolicyError, match="verifies"):
        rule_metadata(source, "x.rego", "tdcheck.rules.x")
    good = rule_metadata(source.replace("verifies: country", "verifies: [country]"), "x", "p")
    assert good is not None and good.verifies == ("country",)


@pytest.mark.parametrize("engine_name", ["embedded_engine", "opa_engine"])
@pytest.mark.parametrize(
    ("rule_id", "source"),
    [
        ("VER-002", LZA),  # FedRAMP High claimed for a commercial AWS region
        ("VER-003", AZURE_SCOPE),  # IL5 claimed for a commercial Azure region
    ],
)
def test_overclaim_fails_citing_the_source(  # type: ignore[no-untyped-def]
    rule_id: str, source: str, engine_name: str, request, policy_set
) -> None:
    engine = request.getfixturevalue(engine_name)
    path = FIXTURES / "rules" / rule_id / "fail.yaml"
    findings = evaluate_file(engine, policy_set, path, as_of=AS_OF)
    failed = [f for f in findings if f["rule_id"] == rule_id and f["status"] == "fail"]
    assert len(failed) == 1
    assert source in json.dumps(failed[0]["message"])


def test_every_output_carries_the_basis() -> None:
    # FedRAMP High claimed for AWS us-east-1 (commercial US: Moderate)
    manifest = str(FIXTURES / "rules" / "VER-002" / "fail.yaml")
    report = json.loads(run_cli("check", "--as-of", AS_OF, "-f", "json", manifest).out)
    by_rule = {(f["rule_id"], f["status"]): f["basis"] for f in report["findings"]}
    assert by_rule[("VER-002", "fail")] == "contradicted"
    assert by_rule[("VER-001", "pass")] == "verified"  # the country: AWS says us-east-1 is US
    assert {f["basis"] for f in report["findings"]} <= {"verified", "contradicted", "asserted"}
    sarif = json.loads(run_cli("check", "--as-of", AS_OF, "-f", "sarif", manifest).out)
    results = sarif["runs"][0]["results"]
    assert {r["properties"]["basis"] for r in results if r["ruleId"] == "VER-002"} == {
        "contradicted"
    }
    junit = run_cli("check", "--as-of", AS_OF, "-f", "junit", manifest).out
    assert '<property name="basis" value="contradicted" />' in junit
    text = run_cli("check", "--as-of", AS_OF, "--show-passed", manifest).out
    assert "PASS   VER-001" in text  # verified: no mark
    assert "PASS*  " in text and "PASS*: the manifest fact" in text
    github = run_cli("check", "--as-of", AS_OF, "-f", "github", manifest).out
    assert "basis: contradicted" in github
    markdown = run_cli("check", "--as-of", AS_OF, "-f", "markdown", manifest).out
    assert "### Verified location facts" in markdown
    assert "| cloud | fedramp | contradicted | VER-002 |" in markdown


def test_audit_claims_list_verified_contradicted_and_unverifiable() -> None:
    rules = {
        "VER-001": meta("VER-001", "verify", ("country",)),
        "VER-006": meta("VER-006", "verify"),
        "GDPR-LOC-001": meta("GDPR-LOC-001", "gdpr"),
    }
    at = ("spec", "locations", 0, "provider")
    findings = [
        replace(found("VER-001", "pass", at), location="a", message="aws us-east-1 is in US"),
        replace(found("VER-006", "fail", at), location="b", message="region x not in catalogue"),
        replace(found("VER-006", "pass", at), location="a"),
        replace(found("GDPR-LOC-001", "fail", at), location="a"),
        # a failed check that names no fact, on what it read (a public bucket): contradicted
        replace(found("EVID-005", "fail", at), location="c", basis="contradicted"),
    ]
    rules["EVID-005"] = meta("EVID-005", "verify")
    rows = [(c.location, c.facts, c.state, c.rule_id) for c in claims(findings, rules)]
    assert rows == [
        ("a", "country", "verified", "VER-001"),
        ("b", "", "unverifiable", "VER-006"),
        ("c", "", "contradicted", "EVID-005"),
    ]


def test_a_check_that_names_no_fact_rests_on_what_it_checked() -> None:
    """EVID-003 (the binding exists) and VER-006 (the catalogue covers the location) check
    the code and the catalogue, not a manifest fact: their passes are verified; a failure
    contradicts the manifest, except an advisory one, which says nothing could be checked."""
    rules = dict(CATALOGUE)
    rules["EVID-003"] = meta("EVID-003", "verify")
    rules["EVID-006"] = replace(meta("EVID-006", "verify"), severity=Severity.ADVISORY)
    findings = [
        found("EVID-003", "pass", ("spec", "locations", 0, "evidence", 0, "resources", 0)),
        found("EVID-003", "fail", ("spec", "locations", 1, "evidence", 0, "resources", 1)),
        found("EVID-006", "fail", ("spec", "locations", 1, "evidence", 0, "resources", 0)),
    ]
    bases = [f.basis for f in assign_basis(findings, rules)]
    assert bases == ["verified", "contradicted", "asserted"]
