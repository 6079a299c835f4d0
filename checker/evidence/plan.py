"""A plan as `terraform show -json` writes it (HashiCorp's JSON output format, 1.x).

Planned values carry what the code declares once Terraform resolved variables, modules and
count. A value known only after apply (a new KMS key's ARN, a new bucket's id that another
resource names it by) is absent from them; `resource_changes[].change.after_unknown` says
which, and such a value is unresolved (EVID-006), never read as "not set".
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from checker.evidence.blocks import Block
from checker.evidence.extract import facts_from_blocks
from checker.evidence.facts import EvidenceError, TerraformModule, strip_keys

_SUPPORTED_MAJOR = "1"
MAX_PLAN_BYTES = 256 * 2**20  # a plan of thousands of resources is a few MB


class PlanReader:
    def read(self, path: Path, display: str) -> TerraformModule:
        try:
            if path.stat().st_size > MAX_PLAN_BYTES:
                message = f"the plan is larger than {MAX_PLAN_BYTES // 2**20} MiB"
                raise EvidenceError(display, 0, message)
            text = path.read_text(encoding="utf-8")
            plan = json.loads(text)
        except (OSError, UnicodeDecodeError) as exc:
            raise EvidenceError(display, 0, f"cannot read the plan: {exc}") from exc
        except json.JSONDecodeError as exc:
            raise EvidenceError(display, exc.lineno, f"not a JSON plan: {exc.msg}") from exc
        version = plan.get("format_version") if isinstance(plan, dict) else None
        if not isinstance(version, str) or version.split(".")[0] != _SUPPORTED_MAJOR:
            raise EvidenceError(
                display,
                1,
                f"plan format_version {version!r} is not supported (expected 1.x, "
                "as written by `terraform show -json`)",
            )
        try:
            return TerraformModule(display, _facts(plan, text, display))
        except (AttributeError, TypeError, ValueError) as exc:
            # A plan of the right version but not of its documented shape.
            raise EvidenceError(
                display, 1, f"not a plan as `terraform show -json` writes one: {exc}"
            ) from exc


def _facts(plan: Mapping[str, Any], text: str, display: str) -> tuple[Any, ...]:
    lines = _address_lines(text)
    root = plan.get("planned_values", {}).get("root_module", {})
    keys = _provider_keys(plan)
    unknown = {
        str(change.get("address", "")): (change.get("change") or {}).get("after_unknown")
        for change in plan.get("resource_changes", ())
    }
    blocks = [
        Block(
            type=str(r.get("type", "")),
            address=str(r.get("address", "")),
            file=display,
            line=lines.get(str(r.get("address", "")), 1),
            attrs={
                **_with_unknown(r.get("values") or {}, unknown.get(str(r.get("address", "")))),
                "provider": keys.get(strip_keys(str(r.get("address", "")))),
            },
        )
        for r in _resources(root)
        if r.get("mode", "managed") == "managed"
    ]
    return facts_from_blocks(blocks, _providers(plan))


_AFTER_APPLY = {"__attribute__": "(known after apply)"}  # what `unresolved` recognises


def _with_unknown(values: Any, unknown: Any) -> Any:
    """`values` with each value `after_unknown` marks (true, at any depth) unresolved."""
    if unknown is True:
        return _AFTER_APPLY
    if isinstance(unknown, Mapping):
        merged = dict(values) if isinstance(values, Mapping) else {}
        for name, mark in unknown.items():
            if _marks(mark):
                merged[name] = _with_unknown(merged.get(name), mark)
        return merged
    if isinstance(unknown, list):
        items = list(values) if isinstance(values, list) else []
        for index, mark in enumerate(unknown):
            if _marks(mark):
                items.extend([None] * (index + 1 - len(items)))
                items[index] = _with_unknown(items[index], mark)
        return items
    return values


def _marks(unknown: Any) -> bool:
    if isinstance(unknown, Mapping):
        return any(_marks(mark) for mark in unknown.values())
    if isinstance(unknown, list):
        return any(_marks(mark) for mark in unknown)
    return unknown is True


def _resources(module: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    yield from module.get("resources", ())
    for child in module.get("child_modules", ()):
        yield from _resources(child)


def _provider_keys(plan: Mapping[str, Any]) -> dict[str, str]:
    """Resource address (instance keys removed) -> its aliased provider (`aws.west`), once
    for the whole plan."""
    configured = _config_resources(plan.get("configuration", {}).get("root_module", {}), "")
    # `aws.west` (an alias of the root's), or `m:aws`, a configuration a module declares
    # itself: looked up as it is, so a region it cannot find stays unresolved, never the root's.
    return {address: key for address, key in configured if "." in key or ":" in key}


def _config_resources(module: Mapping[str, Any], prefix: str) -> Iterator[tuple[str, str]]:
    for r in module.get("resources", ()):
        yield prefix + str(r.get("address", "")), str(r.get("provider_config_key", ""))
    for name, call in module.get("module_calls", {}).items():
        yield from _config_resources(call.get("module", {}), f"{prefix}module.{name}.")


def _providers(plan: Mapping[str, Any]) -> dict[str, Any]:
    regions: dict[str, Any] = {}
    for key, config in plan.get("configuration", {}).get("provider_config", {}).items():
        expression = config.get("expressions", {}).get("region", {})
        value = expression.get("constant_value", _variable(plan, expression))
        regions[key] = value
    return regions


def _variable(plan: Mapping[str, Any], expression: Mapping[str, Any]) -> Any:
    """`region = var.region`: the value the plan was made with."""
    references = expression.get("references", ())
    if len(references) != 1 or not str(references[0]).startswith("var."):
        return None
    name = str(references[0])[len("var.") :]
    return plan.get("variables", {}).get(name, {}).get("value")


def _address_lines(text: str) -> dict[str, int]:
    """Line of each `"address": "..."` in the plan file, for located messages."""
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        start = line.find('"address"')
        if start >= 0:
            try:
                value = json.loads("{" + line[start:].rstrip(", ") + "}")["address"]
            except (json.JSONDecodeError, KeyError, TypeError):
                continue
            lines.setdefault(str(value), number)
    return lines
