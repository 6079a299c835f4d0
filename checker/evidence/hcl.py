"""HCL through tfparse: Terraform's own parser with variables, locals, count/for_each and
local modules evaluated statically (no providers, no network, remote modules not fetched).

Chosen over python-hcl2 by measurement (bench/evidence.py, bench/results.md): on a
50-resource module tfparse reads and evaluates it in about the time python-hcl2 takes to
parse it into an unevaluated tree (96 ms against 108 ms, 1.5 s on python-hcl2's first call),
and on a public module tree it is seven times faster; python-hcl2 would leave variables,
modules, count and for_each to an evaluator of our own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from checker.evidence.extract import extract_resources
from checker.evidence.facts import EvidenceError, TerraformModule

# tfparse reports HCL diagnostics as `main.tf:2,12-3,1: Invalid expression; ...`
_DIAGNOSTIC = re.compile(
    r"(?P<file>[^\s:]+\.tf(?:\.json)?):(?P<line>\d+),(?P<col>\d+)(?:-[\d,]+)?: (?P<msg>.*)"
)


class HclReader:
    """A root module directory: every `.tf` file in it and the local modules it calls."""

    def read(self, path: Path, display: str) -> TerraformModule:
        if not path.is_dir():
            raise EvidenceError(display, 0, "a Terraform root module must be a directory")
        if not any(path.glob("*.tf")) and not any(path.glob("*.tf.json")):
            raise EvidenceError(display, 0, "no .tf files in this directory")
        from tfparse import ParseError, load_from_path  # noqa: PLC0415 - only when evidence is bound

        try:
            blocks: Mapping[str, Any] = load_from_path(
                str(path), stop_on_hcl_error=True, vars_paths=_auto_vars(path) or None
            )
        except ParseError as exc:
            raise _located(exc, display) from exc
        resources = extract_resources(blocks, display, path)
        return TerraformModule(display, resources, _directories_read(blocks, path))


def _auto_vars(root: Path) -> list[str]:
    """The variable files Terraform loads by itself, in its order: terraform.tfvars(.json),
    then *.auto.tfvars(.json) by name (values from -var or -var-file are not in the repo)."""
    names = [root / "terraform.tfvars", root / "terraform.tfvars.json"]
    auto = sorted([*root.glob("*.auto.tfvars"), *root.glob("*.auto.tfvars.json")])
    return [p.name for p in [*names, *auto] if p.is_file()]  # tfparse: relative to root


def _directories_read(blocks: Mapping[str, Any], root: Path) -> tuple[Path, ...]:
    """The root and the directory of every file a block came from (followed modules)."""
    found = {root.resolve()}
    for items in blocks.values():
        for item in items if isinstance(items, list) else ():
            name = item.get("__tfmeta", {}).get("filename") if isinstance(item, Mapping) else None
            if isinstance(name, str) and name:
                found.add((root / name).resolve().parent)
    # A directory's digest covers its subdirectories: keep only the outermost ones.
    return tuple(sorted(d for d in found if not any(p in found for p in d.parents)))


def _located(exc: Exception, display: str) -> EvidenceError:
    text = str(exc)
    found = _DIAGNOSTIC.search(text)
    if found is None:
        return EvidenceError(display, 0, f"Terraform could not be read: {text}")
    file = f"{display.rstrip('/')}/{found['file']}"
    return EvidenceError(file, int(found["line"]), f"HCL syntax error: {found['msg']}")
