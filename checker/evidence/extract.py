"""Resource facts from blocks: region, encryption at rest, access logging, public exposure,
network isolation, per the table in the evidence contract. Only what the code declares is a
fact; a value Terraform computes at apply time is `unresolved` (EVID-006), never guessed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from checker.evidence.blocks import Block, unresolved
from checker.evidence.facts import ResourceFacts
from checker.evidence.module_providers import module_maps, root_provider
from checker.evidence.providers import PROVIDERS, TypeRule


def extract_resources(
    blocks: Mapping[str, Any], root: str, directory: Path
) -> tuple[ResourceFacts, ...]:
    """tfparse's output (type -> list of blocks with `__tfmeta`) to resource facts."""
    maps = module_maps(blocks, directory)
    providers = _tfparse_providers(blocks)
    return facts_from_blocks(_tfparse_blocks(blocks, root, maps, providers), providers)


def facts_from_blocks(
    blocks: Sequence[Block], providers: Mapping[str, Any]
) -> tuple[ResourceFacts, ...]:
    by_type: dict[str, list[Block]] = {}
    for block in blocks:
        by_type.setdefault(block.type, []).append(block)
    facts = [
        _facts(block, rule, by_type, providers)
        for block in blocks
        if (rule := PROVIDERS.get(block.type)) is not None
    ]
    return tuple(sorted(facts, key=lambda f: f.address))


def _facts(
    block: Block, rule: TypeRule, by_type: Mapping[str, list[Block]], providers: Mapping[str, Any]
) -> ResourceFacts:
    region, region_known = _region(block, rule, providers)
    observed = rule.observe(block, by_type)
    missing = set(observed.unresolved) | (set() if region_known else {"region"})
    return ResourceFacts(
        address=block.address,
        type=block.type,
        file=block.file,
        line=block.line,
        provider=rule.provider,
        storage=rule.storage,
        region=region,
        encryption=observed.encryption,
        access_logging=observed.access_logging,
        public=observed.public,
        network_isolation=observed.network_isolation,
        unresolved=tuple(sorted(missing)),
    )


def _region(block: Block, rule: TypeRule, providers: Mapping[str, Any]) -> tuple[str | None, bool]:
    for field in rule.region_fields:
        value = block.attrs.get(field)
        if unresolved(value):
            return None, False
        if isinstance(value, str) and value:
            return rule.normalise_region(value), True
    # Both readers set `provider` to the configuration's key (`aws.west`, `module.m:aws`) or
    # leave it out (the root's default configuration).
    alias = str(block.attrs.get("provider") or "")
    value = providers.get(alias if "." in alias or ":" in alias else rule.terraform_provider)
    if isinstance(value, str) and value:
        return rule.normalise_region(value), True
    return None, False


def _tfparse_blocks(
    blocks: Mapping[str, Any],
    root: str,
    maps: Mapping[str, Mapping[str, str]],
    providers: Mapping[str, Any],
) -> list[Block]:
    out: list[Block] = []
    for type_name, items in blocks.items():
        for item in items if isinstance(items, list) else ():
            meta = item.get("__tfmeta", {}) if isinstance(item, Mapping) else {}
            if meta.get("type") != "resource":
                continue
            refs = tuple(_reference_ids(item))
            address = str(meta.get("path", ""))
            given = item.get("provider")
            written = given.get("__attribute__") if isinstance(given, Mapping) else given
            name = str(written or type_name.split("_")[0])
            provider = root_provider(address, name, maps, providers)
            out.append(
                Block(
                    type=type_name,
                    address=address,
                    file=f"{root.rstrip('/')}/{meta.get('filename', '')}",
                    line=int(meta.get("line_start", 0)),
                    attrs={**item, "provider": provider},
                    key=str(item.get("id", "")),
                    refs=refs,
                )
            )
    return out


def _reference_ids(value: Any) -> list[str]:
    """Every block id this block (or a nested block) references, and id-valued attributes."""
    found: list[str] = []
    if isinstance(value, Mapping):
        meta = value.get("__tfmeta")
        if isinstance(meta, Mapping):
            found.extend(str(r.get("id")) for r in meta.get("references", ()) if r.get("id"))
        for key, item in value.items():
            if key != "__tfmeta" and key != "id":
                found.extend(_reference_ids(item))
    elif isinstance(value, list):
        for item in value:
            found.extend(_reference_ids(item))
    elif isinstance(value, str):
        found.append(value)
    return found


def _tfparse_providers(blocks: Mapping[str, Any]) -> dict[str, Any]:
    """`aws` (the default configuration) and `aws.west` (an alias) -> its region/location."""
    regions: dict[str, Any] = {}
    for item in blocks.get("provider", ()):
        meta = item.get("__tfmeta", {})
        path = str(meta.get("path", ""))
        name = str(meta.get("label", ""))
        alias = item.get("alias")
        key = f"{name}.{alias}" if isinstance(alias, str) else name
        # A module's own configuration (legacy, still valid) is `module.m:aws`.
        scope = path[: -len(f".provider.{name}")] if ".provider." in path else ""
        regions[f"{scope}:{key}" if scope else key] = item.get("region", item.get("location"))
    return regions
