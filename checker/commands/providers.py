"""`tdcheck providers [--provider P]`: the provider catalogue the VER-* rules check against.

The catalogue is policy data (`data.tdcheck.reference.providers`: the built-in
policies/reference/data.json with any --policy or --data merged over it). This command
only renders it: which region is where, in which authorisation boundary, which FedRAMP
and DoD levels that boundary holds, which services are in scope, and the sources and the
date they were read. What passes or fails is decided by the rules, never here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import click

from checker.cli import Streams, policy_option
from checker.errors import UsageError
from checker.textsafe import inline


def catalogue_of(data: Mapping[str, Any]) -> dict[str, Any]:
    reference = data.get("tdcheck", {}).get("reference", {})
    providers = reference.get("providers", {}) if isinstance(reference, Mapping) else {}
    return dict(providers) if isinstance(providers, Mapping) else {}


def select(catalogue: Mapping[str, Any], provider: str | None) -> dict[str, Any]:
    if provider is None:
        return dict(catalogue)
    if provider not in catalogue:
        known = ", ".join(sorted(catalogue)) or "none"
        raise UsageError(f"provider {provider!r} is not in the catalogue (known: {known})")
    return {provider: catalogue[provider]}


def _fedramp(entry: Mapping[str, Any]) -> str:
    fedramp = entry.get("fedramp")
    if not isinstance(fedramp, Mapping):
        return "not recorded"
    return f"{fedramp.get('level', '?')} {fedramp.get('status', '?')}"


def _dod(levels: Any) -> str:
    return ", ".join(map(str, levels)) if isinstance(levels, list) and levels else "not recorded"


def render_text(catalogue: Mapping[str, Any]) -> Iterator[str]:
    for pid in sorted(catalogue):
        entry = catalogue[pid]
        yield f"{inline(pid)}: {inline(str(entry.get('name', pid)))} (read {entry.get('as_of')})\n"
        boundaries = entry.get("boundaries", {})
        regions = entry.get("regions", {})
        for bid in sorted(boundaries):
            boundary = boundaries[bid]
            yield f"  boundary {inline(bid)}: {inline(str(boundary.get('name', bid)))}\n"
            dod = _dod(boundary.get("dod_impact_levels"))
            yield f"    FedRAMP: {_fedramp(boundary)}; DoD: {dod}\n"
            for url in boundary.get("sources", []):
                yield f"    source: {inline(str(url))}\n"
            for rid in sorted(r for r in regions if regions[r].get("boundary") == bid):
                region = regions[rid]
                yield (
                    f"    {inline(rid):22} {region.get('country')}  {region.get('kind')}  "
                    f"{inline(str(region.get('name', '')))}\n"
                )
        for url in entry.get("region_sources", []):
            yield f"  region source: {inline(str(url))}\n"
        services = entry.get("services", {})
        for sid in sorted(services):
            service = services[sid]
            yield f"  service {inline(sid)}: {inline(str(service.get('name', sid)))}\n"
            for bid, scope in sorted(service.get("scope", {}).items()):
                fedramp = scope.get("fedramp", "not recorded")
                yield f"    at {inline(bid)}: FedRAMP {fedramp}; DoD: {_dod(scope.get('dod'))}\n"
            for url in service.get("sources", []):
                yield f"    source: {inline(str(url))}\n"
        if not services:
            yield "  services: none recorded (claims about them are unverifiable)\n"


def location_block(catalogue: Mapping[str, Any], provider: str, region: str) -> str:
    """A manifest location for a catalogued region: what the catalogue records, no more."""
    entry = select(catalogue, provider)[provider]
    regions = entry.get("regions", {})
    if region not in regions:
        raise UsageError(
            f"region {region!r} of {provider} is not in the catalogue "
            f"(`tdcheck providers --provider {provider}` lists them)"
        )
    info = regions[region]
    bid = str(info.get("boundary", ""))
    boundary = entry.get("boundaries", {}).get(bid, {})
    sources = dict.fromkeys([*entry.get("region_sources", []), *boundary.get("sources", [])])
    lines = [
        f"# {provider} {region} ({info.get('name', '')}): boundary {bid} "
        f"({boundary.get('name', bid)})",
        f"# From the tdcheck provider catalogue, read {entry.get('as_of')}. Sources:",
        *(f"#   {url}" for url in sources),
        "# Add what the catalogue cannot know: encryption, access control, personnel, pricing.",
        f"- id: {provider}-{region}",
        f"  kind: {info.get('kind')}",
        f"  provider: {provider}",
        f"  region: {region}",
        f"  country: {json.dumps(info.get('country'))}",
    ]
    fedramp = boundary.get("fedramp")
    if isinstance(fedramp, Mapping):
        lines.append(f"  fedramp: {{level: {fedramp['level']}, status: {fedramp['status']}}}")
    levels = boundary.get("dod_impact_levels")
    if levels:
        lines.append(f"  # dod_impact_level: the boundary holds {', '.join(levels)}")
    in_scope = sorted(
        sid for sid, service in entry.get("services", {}).items() if bid in service.get("scope", {})
    )
    if in_scope:
        lines.append(f"  # services: catalogued at this boundary: {', '.join(in_scope)}")
    return "\n".join(lines) + "\n"


@click.command("providers")
@click.option("--provider", help="one provider id (aws, azure, gcp, oci, or one of --data)")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@policy_option()
@click.option("--data", "data_files", multiple=True, type=click.Path(path_type=Path))
@click.pass_obj
def command(
    streams: Streams,
    provider: str | None,
    fmt: str,
    policy_dirs: tuple[Path, ...],
    data_files: tuple[Path, ...],
) -> None:
    """The provider catalogue: regions, boundaries, FedRAMP and DoD levels, services, sources."""
    from checker.policy import load_policy_set

    policy = load_policy_set(tuple(policy_dirs), tuple(data_files))
    chosen = select(catalogue_of(policy.data), provider)
    if fmt == "json":
        streams.stdout.write(json.dumps(chosen, indent=2, ensure_ascii=False) + "\n")
        return
    for chunk in render_text(chosen):
        streams.stdout.write(chunk)
