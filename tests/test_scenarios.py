"""The scenario manifests: each example is compliant, each violation fails exactly as written.

The expected failures are derived from rules-v1.md by hand, not recorded from a run: a
change to a policy that moves one of them is a change of the public contract and must
show up here. Both engines must agree with the table.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import FIXTURES, evaluate_file, run_cli

EXAMPLES = FIXTURES / "examples"
VIOLATIONS = FIXTURES / "violations"
SCENARIOS = sorted(p.name for p in EXAMPLES.glob("*.yaml"))
AS_OF = "2026-11-28"
ENGINES = ["embedded_engine", "opa_engine"]

Key = tuple[Any, ...]


def stage(rule_id: str, stage_id: str, location_id: str) -> Key:
    return (rule_id, "stage", stage_id, location_id)


def location(rule_id: str, location_id: str) -> Key:
    return (rule_id, "location", location_id)


def movement(rule_id: str, source: str, target: str, *datasets: str) -> Key:
    return (rule_id, "movement", source, target, tuple(sorted(datasets)))


def failing(findings: list[dict[str, Any]]) -> set[Key]:
    keys: set[Key] = set()
    for f in findings:
        if f["status"] != "fail":
            continue
        if f["subject"] == "stage":
            keys.add(stage(f["rule_id"], f["stage"], f["location"]))
        elif f["subject"] == "location":
            keys.add(location(f["rule_id"], f["location"]))
        else:
            t = f["transfer"]
            keys.add(movement(f["rule_id"], t["from"], t["to"], *t["datasets"]))
    return keys


# What each example must exercise: frameworks with at least one finding (a rule that
# applied), so an edit that quietly drops the PHI or the classified data is caught.
FRAMEWORKS_EXERCISED = {
    "llm-pretraining-cloud.yaml": {"gdpr", "hybrid", "advisory"},
    "healthcare-phi-on-premises.yaml": {"hipaa", "hybrid", "advisory"},
    "fraud-retraining-hybrid.yaml": {"gdpr", "hybrid", "advisory"},
    "research-cloud-spot.yaml": {"ear", "hybrid", "advisory"},
    "defence-air-gapped.yaml": {"classified", "air_gap", "itar", "cui", "hybrid", "advisory"},
    "saas-fine-tuning-cloud.yaml": {"fedramp", "hybrid", "advisory", "verify"},
}

# The mistakes listed in each violation's header comment, as the findings rules-v1.md
# says they produce (and nothing else).
EXPECTED_FAILURES: dict[str, set[Key]] = {
    "llm-pretraining-cloud.yaml": {
        # 1. on-demand pricing at 95% utilisation
        location("ADV-COST-002", "us-gpu-cluster"),
        # 2. no DPF certification, no mechanism: every US stage with EU personal data
        stage("GDPR-XFER-001", "pretrain", "us-gpu-cluster"),
        stage("GDPR-XFER-001", "keep-checkpoints", "us-gpu-cluster"),
        stage("GDPR-XFER-001", "evaluate", "us-gpu-cluster"),
        # 3. shards over the internet (TLS: HYB-ENC-001 passes)
        movement("HYB-NET-001", "eu-data-prep", "us-gpu-cluster", "token-shards"),
        # 4. the raw crawl read in the US, undeclared: with no covering transfer, the
        # rules that judge its encryption and channel fail too (rules-v1.md, Terms)
        movement("HYB-DECL-001", "eu-data-prep", "us-gpu-cluster", "web-crawl"),
        movement("HYB-ENC-001", "eu-data-prep", "us-gpu-cluster", "web-crawl"),
        movement("HYB-NET-001", "eu-data-prep", "us-gpu-cluster", "web-crawl"),
    },
    "healthcare-phi-on-premises.yaml": {
        # 1. third-party DR site without a BAA
        stage("HIPAA-BAA-001", "dr-copy", "dr-private-cloud"),
        # 2. a limited data set is not de-identified
        stage("HIPAA-DEID-001", "deidentify", "hospital-dc"),
        # 3. PHI checkpoints in clear over the internet
        movement("HIPAA-ENC-002", "hospital-dc", "dr-private-cloud", "checkpoints"),
        movement("HYB-ENC-001", "hospital-dc", "dr-private-cloud", "checkpoints"),
        movement("HYB-NET-001", "hospital-dc", "dr-private-cloud", "checkpoints"),
    },
    "fraud-retraining-hybrid.yaml": {
        # 1. raw transactions leave the data centre undeclared (so encryption and
        # channel are unknown, and fail)
        movement("HYB-DECL-001", "dc-frankfurt", "burst-eu", "card-transactions"),
        movement("HYB-ENC-001", "dc-frankfurt", "burst-eu", "card-transactions"),
        movement("HYB-NET-001", "dc-frankfurt", "burst-eu", "card-transactions"),
        # 2. recurring derogation, hence no Chapter V basis in the US
        movement("GDPR-XFER-002", "burst-eu", "group-registry-us", "fraud-model"),
        stage("GDPR-XFER-001", "register", "group-registry-us"),
        stage("GDPR-XFER-001", "validate", "group-registry-us"),
        # 3. features over the internet
        movement("HYB-NET-001", "dc-frankfurt", "burst-eu", "fraud-features"),
    },
    "research-cloud-spot.yaml": {
        # 1. EAR data processed and stored in Singapore (no storage carve-out)
        stage("EAR-LOC-001", "load-layouts", "spot-pool-sg"),
        stage("EAR-LOC-001", "sweep", "spot-pool-sg"),
        stage("EAR-LOC-001", "checkpoint", "spot-pool-sg"),
        # 2. research training on demand
        location("ADV-SPOT-001", "spot-pool-sg"),
        # 3. EAR-derived model over the internet
        movement("HYB-NET-001", "spot-pool-sg", "lab-eval-server", "candidate-model"),
    },
    "defence-air-gapped.yaml": {
        # 1. CONFIDENTIAL-cleared staff on SECRET stages
        stage("CLS-PER-001", "ingest-imagery", "secret-enclave"),
        stage("CLS-PER-001", "train", "secret-enclave"),
        # 2. a network channel into the air-gapped enclave
        movement("AIRGAP-003", "unclass-staging", "secret-enclave", "base-weights"),
        # 3. SECRET model at a CONFIDENTIAL ground station
        stage("CLS-ACC-001", "detect", "ground-station"),
        movement("CLS-XFER-001", "secret-enclave", "ground-station", "detector"),
    },
    "saas-fine-tuning-cloud.yaml": {
        # 1. FedRAMP "In Process" is not an authorisation
        stage("FEDRAMP-AUTH-001", "fine-tune", "gpu-neocloud"),
        stage("FEDRAMP-AUTH-001", "evaluate", "gpu-neocloud"),
        # 2. on-demand pricing at 80% utilisation
        location("ADV-COST-002", "product-gov-region"),
        # 3. adapter over the internet
        movement("HYB-NET-001", "gpu-neocloud", "product-gov-region", "lora-adapter"),
        # 4. the GPU cloud is in no provider catalogue: its claims stay unverified
        location("VER-006", "gpu-neocloud"),
        # 5. the product region's Terraform drifted: another region, a key removed
        location("EVID-001", "product-gov-region"),
        location("EVID-002", "product-gov-region"),
    },
}


def test_every_example_has_a_twin_and_expectations() -> None:
    assert len(SCENARIOS) == 6
    assert sorted(p.name for p in VIOLATIONS.glob("*.yaml")) == SCENARIOS
    assert set(EXPECTED_FAILURES) == set(SCENARIOS) == set(FRAMEWORKS_EXERCISED)


@pytest.mark.parametrize("engine_name", ENGINES)
@pytest.mark.parametrize("name", SCENARIOS)
def test_example_is_compliant_and_exercises_its_frameworks(  # type: ignore[no-untyped-def]
    name: str, engine_name: str, request, policy_set
) -> None:
    engine = request.getfixturevalue(engine_name)
    findings = evaluate_file(engine, policy_set, EXAMPLES / name, as_of=AS_OF)
    # Not even advisory: every example is meant to be clean advice too.
    assert failing(findings) == set()
    frameworks = {f["framework"] for f in findings}
    assert FRAMEWORKS_EXERCISED[name] <= frameworks, frameworks


@pytest.mark.parametrize("engine_name", ENGINES)
@pytest.mark.parametrize("name", SCENARIOS)
def test_violation_fails_exactly_as_listed(  # type: ignore[no-untyped-def]
    name: str, engine_name: str, request, policy_set
) -> None:
    engine = request.getfixturevalue(engine_name)
    findings = evaluate_file(engine, policy_set, VIOLATIONS / name, as_of=AS_OF)
    got = failing(findings)
    expected = EXPECTED_FAILURES[name]
    assert got == expected, {"unexpected": got - expected, "missing": expected - got}


@pytest.fixture(params=["embedded", "opa"])
def cli_engine(request: pytest.FixtureRequest) -> str:
    if request.param == "opa":
        request.getfixturevalue("opa_binary")
    return str(request.param)


def test_examples_directory_passes_at_fail_on_warning(cli_engine: str) -> None:
    args = ("check", "--engine", cli_engine, "--as-of", AS_OF, "--fail-on", "warning")
    result = run_cli(*args, str(EXAMPLES))
    assert result.code == 0, result.err + result.out
    assert "6 manifest(s), 0 invalid, 0 failed" in result.out + result.err


def test_violations_directory_fails_with_every_twin_reported(cli_engine: str) -> None:
    args = ("check", "--engine", cli_engine, "--as-of", AS_OF, "-f", "json")
    result = run_cli(*args, str(VIOLATIONS))
    assert result.code == 1, result.err
    report = json.loads(result.out)
    failed_manifests = {f["manifest"] for f in report["findings"] if f["status"] == "fail"}
    assert {m.rsplit("/", 1)[-1] for m in failed_manifests} == set(SCENARIOS)
