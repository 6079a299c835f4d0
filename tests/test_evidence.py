"""Terraform evidence: facts read from HCL and plans, bindings, drift, and bad evidence."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from checker.evidence.hcl import HclReader
from checker.evidence.plan import PlanReader
from tests.conftest import FIXTURES, run_cli

EVIDENCE = FIXTURES / "evidence"
MANIFEST = FIXTURES / "rules" / "EVID-001" / "pass.yaml"


def facts(path: Path) -> dict[str, object]:
    module = HclReader().read(path, "infra")
    return {r.address: r for r in module.resources}


def test_hcl_resolves_modules_for_each_aliases_and_variable_defaults() -> None:
    found = facts(EVIDENCE / "aws-govcloud")
    raw = found['module.lake["raw"].aws_s3_bucket.this']
    assert (raw.region, raw.encryption, raw.access_logging, raw.public) == (
        "us-gov-west-1",
        "customer_managed",
        True,
        False,
    )
    assert raw.file == "infra/modules/bucket/main.tf" and raw.line == 13
    # The log bucket uses the aliased provider of the other GovCloud region.
    assert found["aws_s3_bucket.access_logs"].region == "us-gov-east-1"
    assert found["aws_sagemaker_model.notes_classifier"].network_isolation is True


def test_hcl_drifted_code_reads_as_drifted() -> None:
    found = facts(EVIDENCE / "aws-govcloud-drifted")
    raw = found['module.lake["raw"].aws_s3_bucket.this']
    assert (raw.region, raw.encryption, raw.access_logging, raw.public) == (
        "us-east-1",
        "provider_managed",
        False,
        True,
    )
    studio = found["aws_sagemaker_domain.studio"]
    assert studio.encryption is None and studio.unresolved == ("encryption",)


def test_azure_and_google_resources(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        """
provider "google" {
  region = "europe-west3"
}

resource "azurerm_storage_account" "lake" {
  name                            = "lake"
  location                        = "Germany West Central"
  account_tier                    = "Standard"
  account_replication_type        = "ZRS"
  allow_nested_items_to_be_public = false
  public_network_access_enabled   = false

  customer_managed_key {
    key_vault_key_id          = "https://vault.vault.azure.net/keys/k/1"
    user_assigned_identity_id = "id"
  }
}

resource "azurerm_monitor_diagnostic_setting" "lake" {
  name               = "lake-logs"
  target_resource_id = azurerm_storage_account.lake.id
}

resource "google_storage_bucket" "features" {
  name     = "features"
  location = "EUROPE-WEST3"

  logging {
    log_bucket = "audit"
  }
}

resource "google_storage_bucket_iam_member" "everyone" {
  bucket = google_storage_bucket.features.name
  role   = "roles/storage.objectViewer"
  member = "allUsers"
}

resource "google_vertex_ai_dataset" "notes" {
  display_name        = "notes"
  metadata_schema_uri = "gs://schema/text.yaml"

  encryption_spec {
    kms_key_name = "projects/p/locations/europe-west3/keyRings/r/cryptoKeys/k"
  }
}
"""
    )
    found = facts(tmp_path)
    lake = found["azurerm_storage_account.lake"]
    assert (lake.provider, lake.region, lake.encryption, lake.access_logging, lake.public) == (
        "azure",
        "germanywestcentral",
        "customer_managed",
        True,
        False,
    )
    bucket = found["google_storage_bucket.features"]
    assert (bucket.region, bucket.encryption, bucket.access_logging, bucket.public) == (
        "europe-west3",
        "provider_managed",
        True,
        True,
    )
    dataset = found["google_vertex_ai_dataset.notes"]
    assert (dataset.region, dataset.encryption) == ("europe-west3", "customer_managed")


def test_plan_json_resolves_aliases_and_variables() -> None:
    module = PlanReader().read(EVIDENCE / "aws-govcloud-plan" / "plan.json", "plan.json")
    found = {r.address: r for r in module.resources}
    raw = found['module.lake["raw"].aws_s3_bucket.this']
    assert (raw.region, raw.encryption, raw.access_logging, raw.public) == (
        "us-gov-west-1",
        "customer_managed",
        True,
        False,
    )
    assert raw.line == 37  # the line of its address in the plan file
    assert found["aws_s3_bucket.access_logs"].region == "us-gov-east-1"


def repo_with(tmp_path: Path, module: str = "aws-govcloud") -> Path:
    """A git repository holding a bound manifest and its Terraform, as users keep them."""
    repo = tmp_path / "repo"
    shutil.copytree(EVIDENCE / module, repo / "infra")
    text = MANIFEST.read_text().replace("../../evidence/aws-govcloud", "infra")
    (repo / "deploy").mkdir()
    (repo / "deploy" / "clinical.yaml").write_text(
        text.replace("terraform: infra", "terraform: ../infra")
    )
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    return repo


def verify_findings(repo: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, list[dict]]:  # type: ignore[type-arg]
    monkeypatch.chdir(repo)
    result = run_cli("check", "deploy/clinical.yaml", "--framework", "verify", "-f", "json")
    return result.code, json.loads(result.out)["findings"]


def test_drift_in_the_terraform_alone_fails_the_gate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = repo_with(tmp_path)
    code, findings = verify_findings(repo, monkeypatch)
    assert code == 0 and {f["status"] for f in findings} == {"pass"}
    variables = repo / "infra" / "variables.tf"
    variables.write_text(variables.read_text().replace('"us-gov-west-1"', '"us-east-1"'))
    code, findings = verify_findings(repo, monkeypatch)
    assert code == 1
    [failure] = [f for f in findings if f["status"] == "fail"]
    assert failure["rule_id"] == "EVID-001"
    assert "infra/modules/bucket/main.tf:13" in failure["message"]
    assert failure["line"] == 20  # the location's `region` claim


def test_removed_key_fails_encryption_claim(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = repo_with(tmp_path)
    bucket = repo / "infra" / "modules" / "bucket" / "main.tf"
    text = bucket.read_text().replace('"aws:kms"', '"AES256"')
    bucket.write_text(text.replace("      kms_master_key_id = var.kms_key_arn\n", ""))
    code, findings = verify_findings(repo, monkeypatch)
    assert code == 1
    assert {f["rule_id"] for f in findings if f["status"] == "fail"} == {"EVID-002"}


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (("terraform: ../infra", "terraform: ../missing"), "does not exist"),
        (("terraform: ../infra", "terraform: ../../.."), "leaves the repository"),
    ],
)
def test_bad_evidence_paths_are_input_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: tuple[str, str], expected: str
) -> None:
    repo = repo_with(tmp_path)
    manifest = repo / "deploy" / "clinical.yaml"
    manifest.write_text(manifest.read_text().replace(*edit))
    shutil.copy(FIXTURES / "examples" / "research-cloud-spot.yaml", repo / "deploy" / "other.yaml")
    monkeypatch.chdir(repo)
    result = run_cli("check", "deploy", "--framework", "verify")
    assert result.code == 2
    [line] = [x for x in (result.out + result.err).splitlines() if expected in x]
    assert line.startswith("error deploy/clinical.yaml:29:")  # the binding's `terraform:` line
    assert "2 manifest(s), 1 invalid" in result.out + result.err  # the other one was checked


def test_hcl_syntax_error_names_both_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = repo_with(tmp_path)
    (repo / "infra" / "broken.tf").write_text('resource "aws_s3_bucket" "x" {\n  bucket =\n}\n')
    monkeypatch.chdir(repo)
    result = run_cli("check", "deploy/clinical.yaml")
    assert result.code == 2
    [line] = [x for x in (result.out + result.err).splitlines() if "HCL syntax error" in x]
    assert "deploy/clinical.yaml:29:" in line and "infra/broken.tf:2" in line
    assert "Traceback" not in result.out + result.err


def repo_with_plan(tmp_path: Path, plan: str) -> Path:
    """`repo_with`, its manifest bound to a plan file (`infra/plan.json`) holding `plan`."""
    repo = repo_with(tmp_path)
    (repo / "infra" / "plan.json").write_text(plan)
    manifest = repo / "deploy" / "clinical.yaml"
    manifest.write_text(
        manifest.read_text().replace("terraform: ../infra", "terraform: ../infra/plan.json")
    )
    return repo


def test_plan_of_unknown_format_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = json.loads((EVIDENCE / "aws-govcloud-plan" / "plan.json").read_text())
    plan["format_version"] = "2.0"
    repo = repo_with_plan(tmp_path, json.dumps(plan))
    monkeypatch.chdir(repo)
    result = run_cli("check", "deploy/clinical.yaml")
    assert result.code == 2
    assert "format_version '2.0' is not supported" in result.out + result.err
    output = result.out + result.err
    assert "deploy/clinical.yaml:29:" in output and "infra/plan.json:1" in output


def test_a_manifest_on_stdin_cannot_bind_evidence() -> None:
    result = run_cli("check", "-", stdin=MANIFEST.read_bytes())
    assert result.code == 2
    assert "the manifest was not read from a file" in result.out + result.err


def test_a_module_call_passes_its_provider_configuration() -> None:
    """`providers = { aws = aws.gpu }` on a module call: its resources are in that region."""
    found = facts(FIXTURES / "examples" / "infra" / "casehub")
    assert found["module.sft_pairs.aws_s3_bucket.this"].region == "us-gov-east-1"
    assert found["module.tickets.aws_s3_bucket.this"].region == "us-gov-west-1"
    assert found["aws_sagemaker_domain.fine_tuning"].region == "us-gov-east-1"


def test_aws_managed_keys_and_unencrypted_volumes_are_not_customer_keys(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        """
provider "aws" {
  region = "us-gov-west-1"
}

resource "aws_s3_bucket" "b" {
  bucket = "b"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "b" {
  bucket = aws_s3_bucket.b.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = "alias/aws/s3"
    }
  }
}

resource "aws_sagemaker_domain" "d" {
  domain_name = "d"
  auth_mode   = "IAM"
  vpc_id      = "vpc-1"
  subnet_ids  = ["subnet-1"]
  kms_key_id  = "arn:aws-us-gov:kms:us-gov-west-1:123456789012:alias/aws/sagemaker"
  default_user_settings {
    execution_role = "arn:aws-us-gov:iam::123456789012:role/r"
  }
}

resource "aws_ebs_volume" "off" {
  availability_zone = "us-gov-west-1a"
  size              = 100
  encrypted         = false
}

resource "aws_ebs_volume" "unsaid" {
  availability_zone = "us-gov-west-1a"
  size              = 100
}
"""
    )
    found = facts(tmp_path)
    assert found["aws_s3_bucket.b"].encryption == "provider_managed"
    assert found["aws_sagemaker_domain.d"].encryption == "provider_managed"
    assert found["aws_ebs_volume.off"].encryption == "none"
    # Without `encrypted`, the account's default decides: not readable from the code.
    assert found["aws_ebs_volume.unsaid"].unresolved == ("encryption",)


def test_terraform_tfvars_sets_variables_as_terraform_would(tmp_path: Path) -> None:
    shutil.copytree(EVIDENCE / "aws-govcloud", tmp_path / "infra")
    (tmp_path / "infra" / "terraform.tfvars").write_text('region = "us-gov-east-1"\n')
    assert facts(tmp_path / "infra")['module.lake["raw"].aws_s3_bucket.this'].region == (
        "us-gov-east-1"
    )


def test_a_module_outside_the_repository_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = repo_with(tmp_path)
    shutil.move(repo / "infra" / "modules", tmp_path / "outside")
    main = repo / "infra" / "main.tf"
    main.write_text(main.read_text().replace('"./modules/bucket"', '"../../outside/bucket"'))
    monkeypatch.chdir(repo)
    result = run_cli("check", "deploy/clinical.yaml")
    assert result.code == 2
    assert "outside the repository" in result.out + result.err


def test_a_changed_module_outside_the_bound_directory_invalidates_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Modules shared across root modules (`source = "../shared/bucket"`) are part of what a
    cached result depends on."""
    repo = repo_with(tmp_path)
    shutil.move(repo / "infra" / "modules", repo / "shared")
    main = repo / "infra" / "main.tf"
    main.write_text(main.read_text().replace('"./modules/bucket"', '"../shared/bucket"'))
    code, _ = verify_findings(repo, monkeypatch)
    assert code == 0
    bucket = repo / "shared" / "bucket" / "main.tf"
    bucket.write_text(bucket.read_text().replace('"aws:kms"', '"AES256"'))
    code, findings = verify_findings(repo, monkeypatch)
    assert code == 1
    assert {f["rule_id"] for f in findings if f["status"] == "fail"} == {"EVID-002"}


def test_a_plan_of_another_shape_is_an_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = repo_with_plan(tmp_path, '{"format_version": "1.2", "planned_values": []}')
    monkeypatch.chdir(repo)
    result = run_cli("check", "deploy/clinical.yaml")
    assert result.code == 2
    assert "not a plan as `terraform show -json` writes one" in result.out + result.err
    assert "Traceback" not in result.out + result.err


def test_a_provider_a_module_declares_itself_decides_its_resources_region(tmp_path: Path) -> None:
    (tmp_path / "modules" / "m").mkdir(parents=True)
    (tmp_path / "main.tf").write_text(
        'provider "aws" {\n  region = "us-gov-west-1"\n}\n\n'
        'module "m" {\n  source = "./modules/m"\n}\n'
    )
    (tmp_path / "modules" / "m" / "main.tf").write_text(
        'provider "aws" {\n  region = "eu-west-1"\n}\n\n'
        'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n'
    )
    assert facts(tmp_path)["module.m.aws_s3_bucket.b"].region == "eu-west-1"


def _plan_of_new_buckets() -> dict[str, Any]:
    """The fixture plan as `terraform show -json` writes it before the first apply: the KMS
    key's ARN and the bucket ids the settings name their bucket by are known after apply."""
    plan = json.loads((EVIDENCE / "aws-govcloud-plan" / "plan.json").read_text())
    changes = []

    def walk(module: dict[str, Any]) -> None:
        for resource in module.get("resources", ()):
            values, unknown = resource["values"], {}
            if resource["type"].startswith("aws_s3_bucket_"):
                values.pop("bucket", None)
                unknown["bucket"] = True
            if resource["type"] == "aws_s3_bucket_server_side_encryption_configuration":
                default = values["rule"][0]["apply_server_side_encryption_by_default"][0]
                default.pop("kms_master_key_id", None)
                mark = {"kms_master_key_id": True}
                unknown["rule"] = [{"apply_server_side_encryption_by_default": [mark]}]
            change = {"actions": ["create"], "after": values, "after_unknown": unknown}
            changes.append({"address": resource["address"], "change": change})
        for child in module.get("child_modules", ()):
            walk(child)

    walk(plan["planned_values"]["root_module"])
    plan["resource_changes"] = changes
    return plan


def test_a_plan_of_values_known_after_apply_leaves_facts_unresolved(tmp_path: Path) -> None:
    """A new bucket's settings name it by its id, known only after apply: which bucket they
    belong to, and the KMS key, are unresolved (EVID-006), never read as absent (which would
    make an encrypted, logged, private bucket look unencrypted, unlogged and public)."""
    plan = _plan_of_new_buckets()
    (tmp_path / "plan.json").write_text(json.dumps(plan, indent=2))
    found = {r.address: r for r in PlanReader().read(tmp_path / "plan.json", "p").resources}
    raw = found['module.lake["raw"].aws_s3_bucket.this']
    assert (raw.encryption, raw.access_logging, raw.public) == (None, None, None)
    assert raw.unresolved == ("access_logging", "encryption", "public")
    assert raw.region == "us-gov-west-1"
    # Without after_unknown the same values would be read as absent: the false verdicts.
    del plan["resource_changes"]
    (tmp_path / "plan.json").write_text(json.dumps(plan, indent=2))
    found = {r.address: r for r in PlanReader().read(tmp_path / "plan.json", "p").resources}
    raw = found['module.lake["raw"].aws_s3_bucket.this']
    assert (raw.encryption, raw.access_logging, raw.public) == ("provider_managed", False, True)


def test_a_plan_before_the_first_apply_is_unverifiable_not_contradicted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = repo_with_plan(tmp_path, json.dumps(_plan_of_new_buckets(), indent=2))
    monkeypatch.chdir(repo)
    result = run_cli("check", "--framework", "verify", "-f", "json", "deploy/clinical.yaml")
    findings = json.loads(result.out)["findings"]
    statuses = {(f["rule_id"], f["status"]) for f in findings if f["rule_id"].startswith("EVID")}
    assert not {("EVID-002", "fail"), ("EVID-004", "fail"), ("EVID-005", "fail")} & statuses
    assert ("EVID-006", "fail") in statuses
    unverifiable = next(f for f in findings if f["rule_id"] == "EVID-006")
    assert "(access_logging, encryption, public)" in unverifiable["message"]
