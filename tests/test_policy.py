"""The catalogue comes from METADATA: complete, unique, and guarded against engine crashes."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.errors import PolicyError
from checker.policy import load_policy_set, rule_metadata

# rules-v1.md, every table: the public rule ids.
CONTRACT_IDS = {
    "HIPAA-BAA-001", "HIPAA-ENC-001", "HIPAA-AUD-001", "HIPAA-AC-001", "HIPAA-RES-001",
    "HIPAA-DEID-001", "HIPAA-ENC-002", "FEDRAMP-AUTH-001", "FEDRAMP-LVL-001", "DOD-IL-001",
    "DOD-IL-002", "DOD-IL-003", "DOD-IL-004", "CUI-001", "CUI-002", "CUI-003", "ITAR-LOC-001",
    "ITAR-LOC-002", "ITAR-PER-001", "ITAR-XFER-001", "EAR-LOC-001", "CLS-ACC-001",
    "CUI-004", "EAR-LOC-002", "EAR-PER-001",  # v1.1
    "CLS-NET-001", "CLS-CLOUD-001", "CLS-PER-001", "CLS-XFER-001", "AIRGAP-001", "AIRGAP-002",
    "AIRGAP-003", "GDPR-XFER-001", "GDPR-XFER-002", "GDPR-TIA-001", "HYB-DECL-001",
    "HYB-ENC-001", "HYB-NET-001", "ADV-SCALE-001", "ADV-COST-001", "ADV-COST-002",
    "ADV-STAFF-001", "ADV-SPOT-001",
    # providers-v1.md
    "VER-001", "VER-002", "VER-003", "VER-004", "VER-005", "VER-006",
    # evidence-v1.md
    "EVID-001", "EVID-002", "EVID-003", "EVID-004", "EVID-005", "EVID-006",
}  # fmt: skip


def test_catalogue_is_the_contract() -> None:
    ids = [meta.rule_id for meta in load_policy_set().rules]
    assert len(ids) == len(set(ids))
    assert set(ids) == CONTRACT_IDS


def test_every_rule_has_a_unit_test_beside_it() -> None:
    policy = load_policy_set()
    root = Path(__file__).resolve().parents[1] / "policies"
    for meta in policy.rules:
        rego = root / meta.source.removeprefix("builtin/")
        assert rego.with_name(rego.stem + "_test.rego").is_file(), meta.rule_id


def test_metadata_without_citation_is_refused() -> None:
    source = "# METADATA\n# title: t\n# custom:\n#   id: X-001\n#   framework: hipaa\npackage p\n"
    with pytest.raises(PolicyError, match="lacks"):
        rule_metadata(source, "x.rego", "p")


def _write(directory: Path, name: str, text: str) -> None:
    directory.mkdir(exist_ok=True)
    (directory / name).write_text(text)


RULE = """# METADATA
# title: Org rule
# custom:
#   id: {rule_id}
#   framework: hipaa
#   severity: error
#   subject: stage
#   citation: internal policy 7
#   remediation: do the thing
package tdcheck.rules.{package}

import rego.v1

findings := set()
"""


def test_policy_dir_cannot_replace_a_builtin_rule(tmp_path: Path) -> None:
    _write(tmp_path / "p", "a.rego", RULE.format(rule_id="HIPAA-BAA-001", package="org_baa"))
    with pytest.raises(PolicyError, match="already used"):
        load_policy_set([tmp_path / "p"])
    _write(tmp_path / "q", "a.rego", RULE.format(rule_id="ORG-001", package="hipaa_baa_001"))
    with pytest.raises(PolicyError, match="already defined"):
        load_policy_set([tmp_path / "q"])


def test_extra_rule_joins_the_catalogue(tmp_path: Path) -> None:
    _write(tmp_path / "p", "a.rego", RULE.format(rule_id="ORG-001", package="org_001"))
    assert load_policy_set([tmp_path / "p"]).rule("ORG-001") is not None


def test_function_arity_clash_is_refused_before_the_engine_crashes(tmp_path: Path) -> None:
    _write(tmp_path / "p", "a.rego", "package tdcheck.rules.a\n\nimport rego.v1\n\nf(x, y) := x\n")
    _write(tmp_path / "p", "b.rego", "package tdcheck.rules.b\n\nimport rego.v1\n\nf(x) := x\n")
    with pytest.raises(PolicyError, match="function f takes"):
        load_policy_set([tmp_path / "p"])
