"""Which root provider configuration a resource inside a module uses.

A module inherits the root's default configuration of a provider, and gets any other one
only through its call's `providers = { aws = aws.gpu }` map. tfparse evaluates module
calls but drops that map's values (they are references to configurations, not values),
so it is read here from the call's own lines in the source file.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from checker.evidence.facts import strip_keys

_NAME = r"[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)?"
_MAP = re.compile(r"\bproviders\s*=\s*\{([^}]*)\}", re.S)
_PAIR = re.compile(rf"({_NAME})\s*=\s*({_NAME})")


def module_maps(blocks: Mapping[str, Any], root: Path) -> dict[str, dict[str, str]]:
    """Module path (`module.a.module.b`, instance keys removed) -> its `providers` map."""
    maps: dict[str, dict[str, str]] = {}
    lines: dict[str, list[str]] = {}
    for call in blocks.get("module", ()):
        meta = call.get("__tfmeta", {}) if isinstance(call, Mapping) else {}
        if "providers" not in call or not meta.get("filename"):
            continue
        name = str(meta["filename"])
        if name not in lines:
            try:
                lines[name] = (root / name).read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                lines[name] = []
        text = "\n".join(lines[name][int(meta["line_start"]) - 1 : int(meta["line_end"])])
        found = _MAP.search(text)
        if found:
            maps[strip_keys(str(meta["path"]))] = dict(_PAIR.findall(found.group(1)))
    return maps


def root_provider(
    address: str,
    chosen: str,
    maps: Mapping[str, Mapping[str, str]],
    own: Collection[str] = (),
) -> str:
    """The configuration (`aws`, `aws.gpu`, or `module.m:aws` for one a module declares
    itself, listed in `own`) that `chosen`, named inside the resource's module, stands for;
    an alias no call passes comes back as it is (and resolves to nothing)."""
    parts = strip_keys(address).split(".")
    chain = [".".join(parts[: i + 2]) for i in range(0, len(parts) - 2, 2) if parts[i] == "module"]
    key = chosen
    for module in reversed(chain):
        if f"{module}:{key}" in own:
            return f"{module}:{key}"
        mapping = maps.get(module, {})
        if key in mapping:
            key = mapping[key]
        elif "." in key:
            return key
    return key
