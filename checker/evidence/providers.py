"""Per resource type: which provider, where its region is, and how to read its facts.

One table, `PROVIDERS`: supporting a new resource type is one entry here. Related blocks
(an S3 bucket's encryption configuration, a storage account's diagnostic setting) are
found through the references Terraform itself resolves.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from checker.evidence.blocks import Block, unresolved

Related = Mapping[str, Sequence[Block]]


@dataclass(frozen=True, slots=True)
class Observed:
    encryption: str | None = None
    access_logging: bool | None = None
    public: bool | None = None
    network_isolation: bool | None = None
    unresolved: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class TypeRule:
    provider: str  # the manifest's provider id
    terraform_provider: str
    storage: bool
    observe: Callable[[Block, Related], Observed]
    region_fields: tuple[str, ...] = ("region",)
    lower_case_region: bool = field(default=False)

    def normalise_region(self, value: str) -> str:
        return value.lower().replace(" ", "") if self.lower_case_region else value


def _related(block: Block, related: Related, type_name: str, *via: str) -> list[Block]:
    return [other for other in related.get(type_name, ()) if other.points_at(block, *via)]


def _linked(block: Block, related: Related, type_name: str, *via: str) -> tuple[list[Block], bool]:
    """The blocks of `type_name` that point at this one, and whether one that does not may
    still: a plan names a new bucket by values known only after apply (its id, sometimes
    its name), so an unlinked setting may be this bucket's. Undecided is never "absent"."""
    others = related.get(type_name, ())
    found = [other for other in others if other.points_at(block, *via)]
    if found or not others or block.key:  # tfparse links by reference: decided
        return found, False
    named = any(isinstance(block.attrs.get(n), str) for n in ("bucket", "name", "id"))
    pointers = (other.attrs.get(field) for other in others for field in via)
    return found, not named or any(unresolved(value) for value in pointers)


def _aws_s3_bucket(block: Block, related: Related) -> Observed:
    configs, encryption_undecided = _linked(
        block, related, "aws_s3_bucket_server_side_encryption_configuration", "bucket"
    )
    rule = (
        configs[0].get("rule", "apply_server_side_encryption_by_default")
        if configs
        else block.get(
            "server_side_encryption_configuration",
            "rule",
            "apply_server_side_encryption_by_default",
        )
    )
    algorithm = rule.get("sse_algorithm") if isinstance(rule, Mapping) else None
    key = rule.get("kms_master_key_id") if isinstance(rule, Mapping) else None
    missing: set[str] = set()
    if unresolved(algorithm) or unresolved(key) or (encryption_undecided and not configs):
        encryption = None
        missing.add("encryption")
    elif isinstance(algorithm, str) and algorithm.startswith("aws:kms") and _customer_key(key):
        encryption = "customer_managed"
    else:
        # AES256, aws:kms with the AWS managed key, or nothing: S3 encrypts every new object
        # with SSE-S3 since January 2023, keys held by AWS.
        encryption = "provider_managed"
    loggers, logging_undecided = _linked(block, related, "aws_s3_bucket_logging", "bucket")
    logging: bool | None = bool(loggers) or bool(block.get("logging"))
    if not logging and logging_undecided:
        logging = None
        missing.add("access_logging")
    blocks, blocks_undecided = _linked(
        block, related, "aws_s3_bucket_public_access_block", "bucket"
    )
    flags = (
        "block_public_acls",
        "block_public_policy",
        "ignore_public_acls",
        "restrict_public_buckets",
    )
    public: bool | None = not any(all(b.attrs.get(f) is True for f in flags) for b in blocks)
    if public and blocks_undecided:
        public = None
        missing.add("public")
    return Observed(encryption, logging, public, None, frozenset(missing))


def _customer_key(key: Any) -> bool:
    """A key the customer manages: not absent, and not an AWS managed key (`alias/aws/s3`,
    or its ARN `arn:aws:kms:...:alias/aws/...`), whose policy AWS controls."""
    if not isinstance(key, str) or not key:
        return False
    return not (key.startswith("alias/aws/") or ":alias/aws/" in key)


def _kms_volume(*fields: str, switch: str | None = None) -> Callable[[Block, Related], Observed]:
    """`switch`: the attribute that turns encryption on at all (EBS `encrypted`)."""

    def observe(block: Block, related: Related) -> Observed:
        keys = [block.attrs.get(f) for f in fields]
        # An absent switch leaves it to the account's default (EBS encryption by default).
        enabled = block.attrs.get(switch) if switch else True
        if any(unresolved(k) for k in keys) or unresolved(enabled) or enabled is None:
            return Observed(unresolved=frozenset({"encryption"}))
        isolation = block.attrs.get("enable_network_isolation")
        isolated = None if isolation is None else isolation is True
        if enabled is not True:
            encryption = "none"
        elif any(_customer_key(k) for k in keys):
            encryption = "customer_managed"
        else:
            encryption = "provider_managed"
        return Observed(encryption=encryption, network_isolation=isolated)

    return observe


def _aws_sagemaker_model(block: Block, related: Related) -> Observed:
    isolation = block.attrs.get("enable_network_isolation")
    if unresolved(isolation):
        return Observed(unresolved=frozenset({"network_isolation"}))
    return Observed(network_isolation=isolation is True or block.get("vpc_config") is not None)


def _azure_storage_account(block: Block, related: Related) -> Observed:
    cmk = block.get("customer_managed_key") or _related(
        block, related, "azurerm_storage_account_customer_managed_key", "storage_account_id"
    )
    settings = _related(block, related, "azurerm_monitor_diagnostic_setting", "target_resource_id")
    nested = block.attrs.get("allow_nested_items_to_be_public")
    network = block.attrs.get("public_network_access_enabled")
    # Both default to true in the azurerm provider: public unless the code turns them off.
    public = nested is not False or network is not False
    return Observed("customer_managed" if cmk else "provider_managed", bool(settings), public)


def _azure_ml_workspace(block: Block, related: Related) -> Observed:
    network = block.attrs.get("public_network_access_enabled")
    encryption = "customer_managed" if block.get("encryption") else "provider_managed"
    return Observed(encryption=encryption, network_isolation=network is False)


def _gcs_bucket(block: Block, related: Related) -> Observed:
    key = block.get("encryption", "default_kms_key_name")
    if unresolved(key):
        return Observed(unresolved=frozenset({"encryption"}))
    public = False
    for type_name in ("google_storage_bucket_iam_member", "google_storage_bucket_iam_binding"):
        for grant in _related(block, related, type_name, "bucket"):
            members = grant.attrs.get("members") or [grant.attrs.get("member")]
            public = public or any(m in {"allUsers", "allAuthenticatedUsers"} for m in members)
    logging = block.get("logging") is not None
    return Observed("customer_managed" if key else "provider_managed", logging, public)


def _vertex(block: Block, related: Related) -> Observed:
    key = block.get("encryption_spec", "kms_key_name")
    network = block.attrs.get("network")
    return Observed(
        encryption="customer_managed" if key else "provider_managed",
        network_isolation=None if network is None else bool(network),
    )


PROVIDERS: dict[str, TypeRule] = {
    "aws_s3_bucket": TypeRule("aws", "aws", True, _aws_s3_bucket),
    "aws_ebs_volume": TypeRule("aws", "aws", True, _kms_volume("kms_key_id", switch="encrypted")),
    "aws_sagemaker_domain": TypeRule("aws", "aws", True, _kms_volume("kms_key_id")),
    "aws_sagemaker_notebook_instance": TypeRule("aws", "aws", True, _kms_volume("kms_key_id")),
    "aws_sagemaker_model": TypeRule("aws", "aws", False, _aws_sagemaker_model),
    "azurerm_storage_account": TypeRule(
        "azure", "azurerm", True, _azure_storage_account, ("location",), True
    ),
    "azurerm_machine_learning_workspace": TypeRule(
        "azure", "azurerm", True, _azure_ml_workspace, ("location",), True
    ),
    "google_storage_bucket": TypeRule("gcp", "google", True, _gcs_bucket, ("location",), True),
    "google_vertex_ai_dataset": TypeRule("gcp", "google", True, _vertex, ("region",)),
    "google_vertex_ai_endpoint": TypeRule("gcp", "google", False, _vertex, ("location", "region")),
}
