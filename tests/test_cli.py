"""The CLI through main(argv): exit codes, located errors, nothing lost in a mixed batch."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import ROOT, run_cli

PHI_ABROAD = """\
apiVersion: tdcheck/v1
kind: TrainingDeployment
metadata: {name: phi-abroad}
spec:
  datasets:
    - {id: records, classifications: [phi]}
    - {id: model, classifications: [internal]}
  locations:
    - id: dc
      kind: on_premises
      country: US
      encryption_at_rest: customer_managed
      audit_logging: true
      access_control: {unique_user_ids: true, mfa: true}
    - id: eu-gpu
      kind: public_cloud
      country: DE
      hipaa_baa: true
      encryption_at_rest: provider_managed
      audit_logging: true
      access_control: {unique_user_ids: true, mfa: true}
  stages:
    - {id: ingest, type: ingestion, location: dc, outputs: [records]}
    - {id: train, type: training, location: eu-gpu, inputs: [records], outputs: [model]}
  transfers:
    - {from: dc, to: eu-gpu, datasets: [records], channel: private_link, encryption_in_transit: tls}
"""

CLEAN = PHI_ABROAD.replace("country: DE", "country: US").replace("phi-abroad", "phi-home")

BROKEN = """\
apiVersion: tdcheck/v1
kind: TrainingDeployment
metadata: {name: broken}
spec:
  datasets:
    - {id: records, classifications: [phi]}
  locations:
    - {id: dc, kind: on_premises, country: US, hipa_baa: true}
  stages:
    - {id: ingest, type: ingestion, location: dc, outputs: [records]}
"""


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


@pytest.fixture(params=["embedded", "opa"])
def engine(request: pytest.FixtureRequest) -> str:
    if request.param == "opa":
        request.getfixturevalue("opa_binary")
    return str(request.param)


def test_clean_manifest_exits_0(tmp_path: Path, engine: str) -> None:
    result = run_cli("check", "--engine", engine, write(tmp_path, "a.yaml", CLEAN))
    assert result.code == 0, result.err + result.out
    assert "0 failed" in result.out


def test_residency_failure_exits_1_and_names_the_line(tmp_path: Path, engine: str) -> None:
    path = write(tmp_path, "a.yaml", PHI_ABROAD)
    result = run_cli("check", "--engine", engine, path)
    assert result.code == 1
    assert "HIPAA-RES-001" in result.out
    # country: DE of location eu-gpu is on line 17, column 16
    assert f"{path}:17:16" in result.out
    assert "DE is not in phi_allowed_countries" in result.out


def test_bad_manifest_exit_2_while_good_ones_are_still_reported(
    tmp_path: Path, engine: str
) -> None:
    bad = write(tmp_path, "bad.yaml", BROKEN)
    good = write(tmp_path, "good.yaml", PHI_ABROAD)
    result = run_cli("check", "--engine", engine, "-f", "json", bad, good)
    assert result.code == 2
    report = json.loads(result.out)
    assert {f["manifest"] for f in report["findings"]} == {good}
    assert any(
        f["rule_id"] == "HIPAA-RES-001" and f["status"] == "fail" for f in report["findings"]
    )
    error_lines = [line for line in result.err.splitlines() if line.startswith("error:")]
    assert error_lines == [
        f"error: {bad}:8:58: $.spec.locations[0].hipa_baa: unknown field 'hipa_baa' "
        "(did you mean 'hipaa_baa'?)"
    ]


def test_json_report_matches_its_schema(tmp_path: Path, engine: str) -> None:
    result = run_cli(
        "check", "--engine", engine, "-f", "json", write(tmp_path, "a.yaml", PHI_ABROAD)
    )
    report = json.loads(result.out)
    schema = json.loads((ROOT / "schemas" / "report.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(report)
    assert report["engine"]["name"] == engine
    assert report["summary"]["findings"]["fail"] >= 1
    assert report["inputs"][0]["deployments"] == ["phi-abroad"]


def test_fail_on_never_and_warning(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "a.yaml",
        PHI_ABROAD.replace("encryption_in_transit: tls", "encryption_in_transit: none").replace(
            "country: DE", "country: US"
        ),
    )
    # PHI only: HYB-ENC-001 takes the organisation's HIPAA encryption severity (warning)
    assert run_cli("check", "--engine", "embedded", path).code == 0
    assert run_cli("check", "--engine", "embedded", "--fail-on", "warning", path).code == 1
    strict = write(tmp_path, "org.yaml", "tdcheck:\n  org:\n    hipaa_encryption_severity: error\n")
    assert run_cli("check", "--engine", "embedded", "--data", strict, path).code == 1
    assert run_cli("check", "--engine", "embedded", "--fail-on", "never", path).code == 0
    args = ("check", "--engine", "embedded", "--data", strict, "--fail-on", "never", path)
    assert run_cli(*args).code == 0


def test_framework_filter_keeps_only_that_framework(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", PHI_ABROAD)
    result = run_cli("check", "--engine", "embedded", "-f", "json", "--framework", "hybrid", path)
    frameworks = {f["framework"] for f in json.loads(result.out)["findings"]}
    assert frameworks == {"hybrid"}
    assert result.code == 0  # the residency failure is HIPAA, filtered out


def test_data_override_changes_the_decision(tmp_path: Path) -> None:
    data = write(
        tmp_path, "org.yaml", "tdcheck:\n  org:\n    phi_allowed_countries: [US, DE, NO]\n"
    )
    result = run_cli(
        "check", "--engine", "embedded", "--data", data, write(tmp_path, "a.yaml", PHI_ABROAD)
    )
    assert result.code == 0, result.out
    assert (
        "DE, NO, US"
        in run_cli(
            "check",
            "--engine",
            "embedded",
            "--data",
            data,
            "--show-passed",
            write(tmp_path, "b.yaml", PHI_ABROAD),
        ).out
    )


def test_stdin_and_directory_walk(tmp_path: Path) -> None:
    result = run_cli("check", "--engine", "embedded", "-", stdin=PHI_ABROAD.encode())
    assert result.code == 1 and "-:17:16" in result.out
    (tmp_path / "deploy").mkdir()
    write(tmp_path, "deploy/a.yaml", CLEAN)
    write(tmp_path, "deploy/other.yaml", "kind: ConfigMap\napiVersion: v1\n")
    result = run_cli("check", "--engine", "embedded", str(tmp_path / "deploy"))
    assert result.code == 0, result.err


def test_explicit_file_without_manifest_is_an_input_error(tmp_path: Path) -> None:
    path = write(tmp_path, "cm.yaml", "kind: ConfigMap\napiVersion: v1\n")
    result = run_cli("check", "--engine", "embedded", path)
    assert result.code == 2
    assert "no manifest found" in result.out


def test_validate_does_not_evaluate(tmp_path: Path) -> None:
    result = run_cli("validate", write(tmp_path, "a.yaml", PHI_ABROAD))
    assert result.code == 0
    assert "HIPAA" not in result.out
    assert run_cli("validate", write(tmp_path, "b.yaml", BROKEN)).code == 2


def test_missing_file_and_usage_errors() -> None:
    assert run_cli("check", "--engine", "embedded", "nope.yaml").code == 2
    assert run_cli("check", "--engine", "bogus", "x.yaml").code == 2
    assert run_cli("check", "--as-of", "yesterday", "x.yaml").code == 2
    result = run_cli(
        "check",
        "-f",
        "nope",
        "--engine",
        "embedded",
        str(ROOT / "tests/data/example-manifest.yaml"),
    )
    assert result.code == 2 and "Traceback" not in result.err


def test_policy_compile_error_exits_3(tmp_path: Path, engine: str) -> None:
    policies = tmp_path / "pol"
    policies.mkdir()
    (policies / "bad.rego").write_text(
        "package tdcheck.rules.bad\nimport rego.v1\nfindings contains x if {\n"
    )
    result = run_cli(
        "check", "--engine", engine, "--policy", str(policies), write(tmp_path, "a.yaml", CLEAN)
    )
    assert result.code == 3
    assert "Traceback" not in result.err
    assert "bad.rego" in result.out + result.err


def test_unreachable_opa_url_exits_3_never_0(tmp_path: Path) -> None:
    result = run_cli(
        "check",
        "--engine",
        "opa",
        "--opa-url",
        "http://127.0.0.1:9",
        "--opa-timeout",
        "2",
        write(tmp_path, "a.yaml", CLEAN),
    )
    assert result.code == 3
    assert "not evaluated" in result.out + result.err


def test_rules_and_schema_commands() -> None:
    listed = json.loads(run_cli("rules", "-f", "json").out)
    assert {"HIPAA-BAA-001", "HYB-DECL-001"} <= {r["id"] for r in listed}
    assert all(r["citation"] and r["remediation"] for r in listed)
    schema = json.loads(run_cli("schema").out)
    assert schema["$schema"].endswith("2020-12/schema")
