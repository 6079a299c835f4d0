"""A manifest's `locations[].evidence` bindings to engine input, read once per path per run.

Every PATH is relative to the manifest file and stays inside the repository holding it
(the nearest ancestor with `.git`, else the manifest's own directory): no `..` escape, no
symlink out. What cannot be read is an input error located at the binding's line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checker.errors import InputError, SourceSpan
from checker.evidence.facts import EvidenceError, TerraformModule
from checker.evidence.hcl import HclReader
from checker.evidence.plan import PlanReader
from checker.loader import Document
from checker.vcs import repository_root


@dataclass(slots=True)
class EvidenceInput:
    """Per location id, the bound resources' facts (engine input `_tdcheck.evidence`)."""

    locations: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    errors: list[InputError] = field(default_factory=list)
    # What was read (root module directories, plan files): the result cache keys on them.
    targets: list[Path] = field(default_factory=list)


class EvidenceBinder:
    """One per run: a module bound by several manifests is read once."""

    def __init__(self) -> None:
        self._modules: dict[Path, TerraformModule | EvidenceError] = {}

    def bind(self, doc: Document) -> EvidenceInput:
        return bind_evidence(doc, modules=self._modules)


def bind_evidence(
    doc: Document,
    manifest: Path | None = None,
    modules: dict[Path, TerraformModule | EvidenceError] | None = None,
) -> EvidenceInput:
    """`manifest` is the file the document came from (default: its display path)."""
    result = EvidenceInput()
    modules = {} if modules is None else modules
    manifest = Path(doc.source) if manifest is None else manifest
    spec = doc.value.get("spec", {})
    for i, location in enumerate(spec.get("locations", ())):
        for j, binding in enumerate(location.get("evidence", ())):
            where = ("spec", "locations", i, "evidence", j)
            module = _module(doc, manifest, binding["terraform"], where, result, modules)
            if module is None:
                continue
            facts = result.locations.setdefault(str(location["id"]), [])
            for k, address in enumerate(binding.get("resources", ())):
                path = [*where, "resources", k]
                found = module.lookup(address)
                if not found:
                    facts.append(
                        {"bound": address, "found": False, "path": path, "source": module.source}
                    )
                facts.extend(
                    {**r.as_input(), "bound": address, "found": True, "path": path} for r in found
                )
    return result


def _module(
    doc: Document,
    manifest: Path,
    written: str,
    where: tuple[str | int, ...],
    result: EvidenceInput,
    modules: dict[Path, TerraformModule | EvidenceError],
) -> TerraformModule | None:
    line, column = doc.locate((*where, "terraform"))
    span = SourceSpan(doc.source, line, column)
    try:
        target, root = _resolve(manifest, written)
    except ValueError as exc:
        result.errors.append(InputError(span, f"evidence path {written!r} {exc}"))
        missing = manifest.resolve().parent / written if manifest.is_file() else None
        if missing is not None and not missing.exists():
            result.targets.append(missing)  # a cached error ends when the path appears
        return None
    result.targets.append(target)
    cached = modules.get(target)
    if cached is None:
        display = _display(Path(doc.source).parent / written)
        reader = PlanReader() if target.is_file() else HclReader()
        try:
            cached = reader.read(target, display)
        except EvidenceError as exc:
            cached = exc
        modules[target] = cached
    if isinstance(cached, EvidenceError):
        result.errors.append(InputError(span, f"evidence {written!r}: {cached.one_line()}"))
        return None
    result.targets.extend(cached.read_from)
    outside = [d for d in cached.read_from if d != root and root not in d.parents]
    if outside:  # a module source or a symlink that leads out of the repository
        message = f"evidence {written!r} reads {_display(outside[0])}, outside the repository"
        result.errors.append(InputError(span, f"{message} (evidence must stay inside it)"))
        return None
    return cached


def _resolve(manifest: Path, written: str) -> tuple[Path, Path]:
    """The bound path and the repository root it must stay in."""
    if manifest.name in {"", "-", "<stdin>"} or not manifest.is_file():
        raise ValueError("cannot be resolved: the manifest was not read from a file")
    base = manifest.resolve().parent
    root = repository_root(base) or base
    target = (base / written).resolve()
    if target != root and root not in target.parents:
        raise ValueError(
            "leaves the repository that holds the manifest (evidence must stay inside it)"
        )
    if not target.exists():
        raise ValueError(
            "does not exist (expected a Terraform root module directory or a plan JSON file)"
        )
    return target, root


def _display(path: Path) -> str:
    """As the user wrote it, without `a/../` detours (messages name the .tf files)."""
    try:
        shown = path.relative_to(Path.cwd()) if path.is_absolute() else path
    except ValueError:
        shown = path
    return os.path.normpath(shown)
