"""`tdcheck advise`: the advice for each example scenario, the JSON schema, the CLI contract.

The expected matrices are read off rules-v1.md for each scenario (see docs/advise.md,
"The six scenarios through advise"): a change to a rule that moves one of them must show up here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.advise_data import AS_OF, advice
from tests.conftest import FIXTURES, ROOT, run_cli

SCHEMA = json.loads((ROOT / "schemas" / "advise.schema.json").read_text())
LETTER = {"allowed": "A", "needs_transfers": "T", "blocked": "B"}

# Per scenario: the architecture, the frameworks that force it, and per stage one letter per
# declared location (in spec order): A allowed, T needs transfers, B blocked.
EXAMPLES: dict[str, dict[str, Any]] = {
    "defence-air-gapped.yaml": {
        "architecture": "on_premises",
        "forced_by": ["air_gap", "classified", "cui", "itar"],
        "possible": {"on_premises": False, "air_gapped": True},
        "matrix": {
            "fetch-weights": "AAT",
            "ingest-imagery": "BAT",
            "ingest-signatures": "BAT",
            "train": "BAT",
            "detect": "BAA",
        },
        "advice": {("ADV-COST-001", "pass"), ("ADV-SCALE-001", "pass"), ("ADV-STAFF-001", "pass")},
    },
    "fraud-retraining-hybrid.yaml": {
        "architecture": "hybrid",
        "forced_by": [],
        "possible": {"cloud": True, "on_premises": True},
        "matrix": {
            "ingest": "ATB",
            "featurize": "ATB",
            "train": "TAB",
            "serve": "AAA",
            "register": "AAA",
            "validate": "AAA",
        },
        "advice": {("ADV-COST-002", "pass")},
    },
    "healthcare-phi-on-premises.yaml": {
        # The DR checkpoint copy runs at a managed (third-party) private cloud: cloud(L).
        "architecture": "hybrid",
        "forced_by": [],
        "possible": {"cloud": True, "on_premises": True},
        "matrix": {
            "pacs-export": "AT",
            "curate": "AT",
            "deidentify": "AT",
            "train": "AT",
            "dr-copy": "AA",
            "evaluate": "AT",
            "triage": "AT",
        },
        "advice": {
            ("ADV-COST-001", "pass"),
            ("ADV-COST-002", "pass"),
            ("ADV-SCALE-001", "pass"),
            ("ADV-STAFF-001", "pass"),
        },
    },
    "llm-pretraining-cloud.yaml": {
        "architecture": "cloud",
        "forced_by": [],
        "possible": {"cloud": True},
        "matrix": {
            "crawl": "AT",
            "load-books": "AA",
            "load-code": "AA",
            "filter-and-tokenize": "AT",
            "pretrain": "TA",
            "keep-checkpoints": "TA",
            "evaluate": "TA",
        },
        "advice": {("ADV-COST-002", "pass")},
    },
    "research-cloud-spot.yaml": {
        # The evaluation runs on the lab's own server: hybrid, not cloud only.
        "architecture": "hybrid",
        "forced_by": [],
        "possible": {"cloud": True, "on_premises": True},
        "matrix": {
            "load-benchmarks": "AA",
            "load-layouts": "AT",
            "sweep": "AT",
            "checkpoint": "AT",
            "evaluate": "AA",
        },
        "advice": {("ADV-COST-002", "pass"), ("ADV-SPOT-001", "pass")},
    },
    "saas-fine-tuning-cloud.yaml": {
        "architecture": "cloud",
        "forced_by": [],
        "possible": {"cloud": True},
        "matrix": {
            "export-tickets": "AT",
            "build-sft-pairs": "AT",
            "pull-base-model": "AA",
            "fine-tune": "TA",
            "evaluate": "AA",
            "serve": "AA",
        },
        "advice": {("ADV-COST-002", "pass")},
    },
}


def scenarios() -> dict[str, dict[str, Any]]:
    manifests = advice(str(FIXTURES / "examples"))["manifests"]
    return {Path(m["manifest"]).name: m for m in manifests}


def test_every_example_is_advised() -> None:
    assert sorted(scenarios()) == sorted(EXAMPLES)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_advice(name: str) -> None:
    expected, got = EXAMPLES[name], scenarios()[name]
    summary = got["summary"]
    matrix = {
        s["id"]: "".join(LETTER[p["verdict"]] for p in s["placements"]) for s in got["stages"]
    }
    assert matrix == expected["matrix"]
    assert summary["architecture"] == expected["architecture"]
    assert summary["forced_by"] == expected["forced_by"]
    possible = {o["category"]: o["possible"] for o in summary["options"] if o["locations"]}
    assert possible == expected["possible"]
    assert {(f["rule_id"], f["status"]) for f in summary["advice"]} == expected["advice"]
    assert summary["stranded"] == []
    # Where a stage runs now is one of its placements, marked current.
    for stage in got["stages"]:
        assert [p["location"] for p in stage["placements"] if p["current"]] == [stage["location"]]


def test_blocked_placements_name_rules_and_facts() -> None:
    train = next(s for s in scenarios()["defence-air-gapped.yaml"]["stages"] if s["id"] == "train")
    staging = next(p for p in train["placements"] if p["location"] == "unclass-staging")
    assert {f["rule_id"] for f in staging["blocking"]} == {
        "AIRGAP-001",
        "CLS-ACC-001",
        "CLS-NET-001",
        "CLS-PER-001",
        "CUI-002",
        "ITAR-PER-001",
    }
    accreditation = next(f for f in staging["blocking"] if f["rule_id"] == "CLS-ACC-001")
    assert "secret" in accreditation["message"] and accreditation["line"] > 0
    constraint = next(
        c
        for c in scenarios()["defence-air-gapped.yaml"]["summary"]["constraints"]
        if c["stage"] == "train"
    )
    assert constraint["open_categories"] == ["air_gapped"]
    assert constraint["kept_out_of"] == ["on_premises"]


def test_cost_advice_carries_the_numbers() -> None:
    summary = scenarios()["defence-air-gapped.yaml"]["summary"]
    assert summary["thresholds"]["breakeven_utilization_pct"] == 65
    cost = next(f for f in summary["advice"] if f["rule_id"] == "ADV-COST-001")
    assert "40% expected utilisation" in cost["message"] and "65%" in cost["message"]


def test_json_validates_against_the_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    for path in ("examples", "violations"):
        jsonschema.validate(advice(str(FIXTURES / path)), SCHEMA)


def test_a_stage_with_nowhere_to_run_exits_1() -> None:
    violations = advice(str(FIXTURES / "violations"))
    assert violations["exit_code"] == 1
    defence = next(m for m in violations["manifests"] if m["deployment"].startswith("maritime"))
    assert defence["summary"]["stranded"] == ["ingest-imagery", "train", "detect"]
    constraint = next(c for c in defence["summary"]["constraints"] if c["stage"] == "train")
    assert constraint["open_categories"] == []


def test_text_matrix() -> None:
    path = FIXTURES / "violations" / "defence-air-gapped.yaml"
    result = run_cli("advise", str(path), "--engine", "embedded", "--as-of", AS_OF)
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[1].split() == [
        "stage",
        "type",
        "unclass-staging",
        "secret-enclave",
        "ground-station",
    ]
    assert lines[2].split() == ["fetch-weights", "ingestion", "xfer*", "ok", "xfer"]
    assert lines[5].split() == ["train", "training", "NO", "6!", "NO", "1*", "NO", "1!"]
    assert "train: no declared location is open to it; blocked by" in result.out
    assert "3 stage(s) with no open location" in result.err


def test_fail_on_warning_turns_warnings_into_blocks() -> None:
    path = FIXTURES / "violations" / "healthcare-phi-on-premises.yaml"
    args = ("advise", str(path), "-f", "json", "--engine", "embedded", "--as-of", AS_OF)
    default = next(
        m for m in advice(str(FIXTURES / "violations"))["manifests"] if m["manifest"] == str(path)
    )
    strict = json.loads(run_cli(*args, "--fail-on", "warning").out)["manifests"][0]

    def deidentify(m: dict[str, Any]) -> dict[str, Any]:
        stage = next(s for s in m["stages"] if s["id"] == "deidentify")
        return next(p for p in stage["placements"] if p["current"])

    assert deidentify(default)["verdict"] == "allowed"
    assert [f["rule_id"] for f in deidentify(default)["warnings"]] == ["HIPAA-DEID-001"]
    assert deidentify(strict)["verdict"] == "blocked"
    assert [f["rule_id"] for f in deidentify(strict)["blocking"]] == ["HIPAA-DEID-001"]


def test_markdown_and_output_file(tmp_path: Path) -> None:
    out = tmp_path / "advice.md"
    path = str(FIXTURES / "violations" / "saas-fine-tuning-cloud.yaml")
    result = run_cli("advise", path, "-f", "markdown", "-o", str(out), "--engine", "embedded")
    assert result.code == 0 and result.out == ""
    text = out.read_text()
    assert "| stage | type | product-gov-region (cloud) | gpu-neocloud (cloud) |" in text
    assert "**serve at gpu-neocloud**: blocked" in text
    assert "`FEDRAMP-AUTH-001`" in text


def test_invalid_manifest_is_one_located_line_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("apiVersion: tdcheck/v1\nkind: TrainingDeployment\nmetadata: {name: x}\n")
    result = run_cli("advise", str(bad), "--engine", "embedded")
    assert result.code == 2
    assert "Traceback" not in result.err
    assert f"{bad}:" in result.out + result.err


def test_broken_policy_exits_3(tmp_path: Path) -> None:
    policies = tmp_path / "pol"
    policies.mkdir()
    (policies / "bad.rego").write_text(
        "package tdcheck.rules.bad\nimport rego.v1\nfindings contains x if {\n"
    )
    path = str(FIXTURES / "examples" / "research-cloud-spot.yaml")
    result = run_cli("advise", path, "--engine", "embedded", "--policy", str(policies))
    assert result.code == 3
    assert "not evaluated" in result.out + result.err and "Traceback" not in result.err


def test_check_is_unchanged_by_the_advise_facts() -> None:
    """The facts answer only when advise asks (input._tdcheck.advise), never for `check`."""
    path = str(FIXTURES / "examples" / "fraud-retraining-hybrid.yaml")
    report = json.loads(run_cli("check", path, "-f", "json", "--engine", "embedded").out)
    assert report["errors"] == []
    assert all("advise" not in f and f["rule_id"] for f in report["findings"])


def test_a_possible_option_lists_only_the_locations_that_make_it_possible() -> None:
    """The fraud pipeline's EU personal data keeps its US registry from three stages: the
    cloud option names the location that carries it and what the other one blocks."""
    path = str(FIXTURES / "examples" / "fraud-retraining-hybrid.yaml")
    text = run_cli("advise", "--as-of", AS_OF, path)
    assert "all cloud: possible (burst-eu); group-registry-us blocks ingest, featurize, train" in (
        text.out
    )
    report = json.loads(run_cli("advise", "--as-of", AS_OF, "-f", "json", path).out)
    [cloud] = [o for o in report["manifests"][0]["summary"]["options"] if o["category"] == "cloud"]
    assert cloud["possible"] is True
    assert cloud["blocks"] == {"group-registry-us": ["ingest", "featurize", "train"]}
