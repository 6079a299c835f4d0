"""One input file to validated manifests; metadata.name kept unique across the run.

Each file is handled on its own, so the run can stream: load a chunk of files, evaluate,
and let the documents go. Only the first use of each deployment name outlives its file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

from checker.errors import InputError, SourceSpan
from checker.evidence import EvidenceBinder
from checker.loader import (
    DEFAULT_LIMITS,
    Document,
    InputRef,
    JsonPath,
    LoadedSource,
    load_bytes,
    load_ref,
)
from checker.validate import duplicate_names, validate_document
from checker.validate.cap import cap_errors

MANIFEST_KIND = "TrainingDeployment"
_NAME_PATH: JsonPath = ("metadata", "name")
_UNDECLARED = f"it declares no kind: {MANIFEST_KIND} or apiVersion: tdcheck/..."


@dataclass(slots=True)
class Intake:
    loaded: LoadedSource
    manifests: list[Document] = field(default_factory=list)
    valid: list[Document] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    # Files and directories besides the input that its evaluation reads (the plan or root
    # module a location's `evidence` binds): the result cache keys the findings on them too.
    evidence: list[Path] = field(default_factory=list)


def is_manifest(doc: Document) -> bool:
    """Infra repos mix kinds: only TrainingDeployment documents (or tdcheck/ ones) count."""
    value = doc.value
    if not isinstance(value, dict):
        return False
    api_version = value.get("apiVersion")
    return value.get("kind") == MANIFEST_KIND or (
        isinstance(api_version, str) and api_version.startswith("tdcheck/")
    )


def take_in(
    ref: InputRef,
    stdin: BinaryIO | None,
    skip_non_manifests: bool,
    evidence: EvidenceBinder | None = None,
    data: bytes | None = None,
) -> Intake:
    """Load one input, keep its manifests, validate each (names are checked by NameRegister).

    Found by a walk or passed by pre-commit, a file that does not declare itself a manifest
    is skipped unparsed (manifest-v1.md: non-manifests never fail a run); named on the
    command line, it is parsed and must hold a manifest. A valid manifest that binds
    Terraform evidence gets its facts attached; evidence that cannot be read makes the
    manifest invalid (its rules would judge nothing). `data`: the file's bytes when the
    caller has read them already (to look it up in the result cache): what is parsed is
    then exactly what was looked up.
    """
    lenient = skip_non_manifests or not ref.explicit
    if data is not None:
        loaded = load_bytes(data, ref.display, DEFAULT_LIMITS, ref.explicit, lenient)
    else:
        loaded = load_ref(ref, stdin=stdin, declared_only=lenient)
    item = Intake(loaded)
    if item.loaded.undeclared:
        item.notices.append(f"{ref.display}: skipped, not a manifest ({_UNDECLARED})")
        return item
    item.errors.extend(item.loaded.errors)
    item.notices.extend(item.loaded.notices)
    for doc in item.loaded.documents:
        if is_manifest(doc):
            item.manifests.append(doc)
        else:
            kind = doc.value.get("kind") if isinstance(doc.value, dict) else None
            item.notices.append(
                f"{doc.source}: document {doc.index + 1} skipped (kind {kind!r} is not "
                f"{MANIFEST_KIND})"
            )
    if not item.manifests and not item.loaded.errors:
        message = f"no manifest found (no document with kind {MANIFEST_KIND})"
        if ref.explicit and not skip_non_manifests:
            item.errors.append(InputError(SourceSpan(ref.display), message))
        else:
            item.notices.append(f"{ref.display}: {message}")
    for doc in item.manifests:
        problems = validate_document(doc)
        item.errors.extend(problems)
        if not problems:
            bound = _with_evidence(doc, evidence or EvidenceBinder(), item)
            if bound is not None:
                item.valid.append(bound)
    return item


def _with_evidence(doc: Document, binder: EvidenceBinder, item: Intake) -> Document | None:
    """The document with its Terraform facts, or None (errors recorded) if unreadable."""
    spec = doc.value.get("spec", {})
    if not any("evidence" in loc for loc in spec.get("locations", ())):
        return doc
    bound = binder.bind(doc)
    item.evidence.extend(bound.targets)
    if bound.errors:
        item.errors.extend(bound.errors)
        return None
    return replace(doc, evidence=bound.locations)


class NameRegister:
    """metadata.name is unique across a run: every use after the first is an input error.

    Only where each name was first used is remembered (file, document, line and column), so
    the check spans the run without keeping any file's documents; duplicate_names sees that
    first use as a stand-in document holding just the name.
    """

    def __init__(self) -> None:
        self._first: dict[str, tuple[str, int, tuple[int, int]]] = {}

    def admit(self, item: Intake) -> None:
        """Flag the item's later uses (after its own errors), drop them from `valid`."""
        names = dict.fromkeys(_name(doc) for doc in item.valid)
        earlier = [_stand_in(n, *self._first[n]) for n in names if n is not None and n in self]
        clashes = duplicate_names([*earlier, *item.valid])
        clashing = {(e.span.file, e.span.line) for e in clashes}
        item.errors.extend(e for e in clashes if e.span.file == item.loaded.source)
        item.errors = list(cap_errors(item.errors))
        item.valid = [d for d in item.valid if (d.source, d.locate(_NAME_PATH)[0]) not in clashing]
        for doc in item.valid:
            name = _name(doc)
            if name is not None and name not in self._first:
                self._first[name] = (doc.source, doc.index, doc.locate(_NAME_PATH))

    def __contains__(self, name: object) -> bool:
        return name in self._first

    def clashes(self, item: Intake) -> bool:
        """Before `admit`: whether a valid manifest reuses a name from an earlier file (then
        the file's result depends on the others, and the result cache must not keep it)."""
        return any(_name(doc) in self for doc in item.valid)

    @staticmethod
    def uses(item: Intake) -> tuple[tuple[str, int, int, int], ...]:
        """After `admit`: (name, document index, line, column) of each valid manifest."""
        found = []
        for doc in item.valid:
            name = _name(doc)
            if name is not None:
                found.append((name, doc.index, *doc.locate(_NAME_PATH)))
        return tuple(found)

    def admit_cached(self, source: str, uses: tuple[tuple[str, int, int, int], ...]) -> bool:
        """A cached file's names: False (nothing recorded) if one was used by an earlier file,
        so the caller reads the file and admits it the ordinary way."""
        if any(name in self for name, *_ in uses):
            return False
        for name, index, line, column in uses:
            self._first.setdefault(name, (source, index, (line, column)))
        return True


def _name(doc: Document) -> str | None:
    metadata = doc.value.get("metadata") if isinstance(doc.value, Mapping) else None
    name = metadata.get("name") if isinstance(metadata, Mapping) else None
    return name if isinstance(name, str) else None


def _stand_in(name: str, source: str, index: int, position: tuple[int, int]) -> Document:
    return Document(source, index, {"metadata": {"name": name}}, {_NAME_PATH: position})
