"""The provider catalogue: `tdcheck providers`, `tdcheck init --provider`, --data, its checker."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import FIXTURES, ROOT, run_cli

AS_OF = "2026-12-02"
CATALOGUE = json.loads((ROOT / "policies" / "reference" / "data.json").read_text("utf-8"))
PROVIDERS = CATALOGUE["tdcheck"]["reference"]["providers"]
PRIVATE = {
    "tdcheck": {
        "reference": {
            "providers": {
                "acme-private": {
                    "name": "ACME private GPU cloud",
                    "as_of": "2026-11-01",
                    "region_sources": ["https://intranet.acme.example/dc-register"],
                    "boundaries": {
                        "acme-ato": {
                            "name": "ACME agency ATO boundary",
                            "fedramp": {"level": "moderate", "status": "authorized"},
                            "sources": ["https://intranet.acme.example/ato-letter"],
                        }
                    },
                    "regions": {
                        "dc-east": {
                            "country": "US",
                            "boundary": "acme-ato",
                            "kind": "private_cloud",
                        }
                    },
                    "services": {},
                }
            }
        }
    }
}


def test_catalogue_covers_the_required_providers_and_regions() -> None:
    assert set(PROVIDERS) == {"aws", "azure", "gcp", "oci"}
    regions = {p: PROVIDERS[p]["regions"] for p in PROVIDERS}
    # every US government region the providers publish, and the examples' regions
    assert {"us-gov-west-1", "us-gov-east-1"} <= set(regions["aws"])
    assert {"usgovvirginia", "usgovarizona", "usgovtexas"} <= set(regions["azure"])
    assert {"us-langley-1", "us-luke-1", "us-gov-ashburn-1"} <= set(regions["oci"])
    assert {"eu-central-1", "eu-west-1", "us-east-1"} <= set(regions["aws"])
    assert {"eastus", "uksouth", "westeurope"} <= set(regions["azure"])
    assert {"us-central1", "europe-west2", "asia-southeast1"} <= set(regions["gcp"])
    assert {r["country"] for r in regions["azure"].values()} >= {"US", "GB", "DE", "FR", "NL"}


def test_every_entry_is_sourced_and_checks_clean() -> None:
    done = subprocess.run(
        [sys.executable, "tools/check_catalogue.py", "--as-of", AS_OF],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "azure: 28 regions" in done.stdout


def test_catalogue_checker_rejects_an_unsourced_entry_and_reports_age(tmp_path: Path) -> None:
    bad = json.loads(json.dumps(PRIVATE))
    del bad["tdcheck"]["reference"]["providers"]["acme-private"]["boundaries"]["acme-ato"][
        "sources"
    ]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    run = [sys.executable, "tools/check_catalogue.py", "--as-of", "2028-01-01", "--data", str(path)]
    done = subprocess.run(run, cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert "acme-private.boundaries.acme-ato: no sources" in done.stderr
    assert "warning: data.json: aws: read 2026-12-02, 395 days before 2028-01-01" in done.stderr


def test_providers_renders_the_data() -> None:
    text = run_cli("providers", "--provider", "aws")
    assert text.code == 0
    assert "boundary govcloud-us: AWS GovCloud (US)" in text.out
    assert "FedRAMP: high authorized; DoD: il2, il4, il5" in text.out
    assert "us-gov-west-1" in text.out and "azure" not in text.out
    as_json = run_cli("providers", "-f", "json")
    assert json.loads(as_json.out) == PROVIDERS
    unknown = run_cli("providers", "--provider", "nimbus")
    assert unknown.code == 2 and "not in the catalogue" in unknown.err


def test_private_cloud_added_with_data_is_verified(tmp_path: Path) -> None:
    data = tmp_path / "private.json"
    data.write_text(json.dumps(PRIVATE))
    shown = run_cli("providers", "--provider", "acme-private", "--data", str(data))
    assert "dc-east" in shown.out and "intranet.acme.example/ato-letter" in shown.out
    manifest = (FIXTURES / "rules" / "VER-001" / "pass.yaml").read_text("utf-8")
    manifest = manifest.replace(
        "kind: public_cloud\n      provider: aws\n      region: eu-central-1\n      country: DE",
        "kind: private_cloud\n      provider: acme-private\n      region: dc-east\n"
        "      country: US\n      fedramp: {level: moderate, status: authorized}",
    )
    path = tmp_path / "m.yaml"
    path.write_text(manifest)
    argv = ["check", "--as-of", AS_OF, "-f", "json", "--data", str(data), str(path)]
    report = json.loads(run_cli(*argv).out)
    verify = {(f["rule_id"], f["status"], f["basis"]) for f in report["findings"]}
    assert {("VER-001", "pass", "verified"), ("VER-002", "pass", "verified")} <= verify
    # The coverage check rests on the catalogue it read: the organisation's entry covers it.
    assert ("VER-006", "pass", "verified") in verify


def test_init_location_block_verifies_clean(tmp_path: Path) -> None:
    block = run_cli("init", "--provider", "azure", "--region", "usgovvirginia")
    assert block.code == 0
    assert "https://learn.microsoft.com/azure/azure-government/compliance/" in block.out
    [location] = yaml.safe_load(block.out)
    assert location == {
        "id": "azure-usgovvirginia",
        "kind": "government_cloud",
        "provider": "azure",
        "region": "usgovvirginia",
        "country": "US",
        "fedramp": {"level": "high", "status": "authorized"},
    }
    manifest = yaml.safe_load((FIXTURES / "rules" / "VER-004" / "pass.yaml").read_text("utf-8"))
    manifest["spec"]["locations"] = [location]
    manifest["spec"]["stages"][0]["location"] = location["id"]
    path = tmp_path / "m.yaml"
    path.write_text(yaml.safe_dump(manifest))
    report = json.loads(run_cli("check", "--as-of", AS_OF, "-f", "json", str(path)).out)
    verify = [f for f in report["findings"] if f["framework"] == "verify"]
    assert {f["rule_id"] for f in verify} == {"VER-001", "VER-002", "VER-004", "VER-006"}
    assert all(f["status"] == "pass" for f in verify)
    missing = run_cli("init", "--provider", "azure", "--region", "mars")
    assert missing.code == 2 and "tdcheck providers --provider azure" in missing.err
