"""Raw engine findings to `Finding` records: shape check, catalogue join, line mapping."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from checker.loader import Document
from checker.model import SUBJECTS, Finding, Movement, RuleMeta, Severity


class ShapeError(ValueError):
    """The engine returned a finding that does not follow rules-v1.md's finding shape."""


def render_message(fragment: Any) -> str:
    """Join the message fragments a rule returns (see policies/README.md)."""
    if isinstance(fragment, str):
        return fragment
    if isinstance(fragment, bool):
        return "true" if fragment else "false"
    if fragment is None:
        return "null"
    if isinstance(fragment, int | float):
        if float(fragment).is_integer():
            return str(int(fragment))
        # 12 significant digits: regopy prints doubles at 15, OPA at 17 (0.30000000000000004).
        return format(fragment, ".12g")
    if isinstance(fragment, list):
        # Most fragments are plain strings: no call for each (a profiled hot spot at scale).
        return "".join([p if type(p) is str else render_message(p) for p in fragment])
    if isinstance(fragment, dict) and isinstance(fragment.get("list"), list):
        # Sorted here, not in Rego: regopy orders strings with escapes by their escaped form.
        return ", ".join(sorted(render_message(part) for part in fragment["list"]))
    raise ShapeError(f"message fragment of unexpected type {type(fragment).__name__}")


def to_finding(raw: Mapping[str, Any], doc: Document, catalogue: Mapping[str, RuleMeta]) -> Finding:
    raw_id = raw.get("rule_id")
    meta = catalogue.get(raw_id) if isinstance(raw_id, str) else None
    if meta is None:
        raise ShapeError(f"finding for unknown rule {raw_id!r} (no rule with that METADATA id)")
    rule_id = meta.rule_id
    status = raw.get("status")
    if status not in ("pass", "fail"):
        raise ShapeError(f"{rule_id}: status {status!r} is not pass or fail")
    subject = raw.get("subject")
    if subject not in SUBJECTS:
        raise ShapeError(f"{rule_id}: subject {subject!r} is not one of {', '.join(SUBJECTS)}")
    path = raw.get("path")
    if not isinstance(path, list) or not all(isinstance(p, str | int) for p in path):
        raise ShapeError(f"{rule_id}: path must be a list of keys and indices")
    severity = raw.get("severity", meta.severity.value)
    try:
        level = Severity(severity)
    except ValueError:
        raise ShapeError(f"{rule_id}: severity {severity!r} is unknown") from None
    # Interned: ids and keys repeat across a batch's findings, and a large batch holds them all.
    path = tuple(sys.intern(p) if isinstance(p, str) else p for p in _cut(doc.value, path))
    line, column = doc.locate(path)
    value = doc.value if isinstance(doc.value, dict) else {}
    return Finding(
        rule_id=meta.rule_id,
        framework=meta.framework,
        severity=level,
        status=sys.intern(status),
        subject=sys.intern(subject),
        stage=_optional_text(raw, "stage", rule_id),
        location=_optional_text(raw, "location", rule_id),
        transfer=_movement(raw.get("transfer"), rule_id),
        message=render_message(raw.get("message")),
        path=path,
        title=meta.title,
        citation=meta.citation,
        remediation=meta.remediation,
        manifest=doc.source,
        deployment=str(value.get("metadata", {}).get("name", "")),
        line=line,
        column=column,
    )


def assign_basis(findings: Sequence[Finding], catalogue: Mapping[str, RuleMeta]) -> list[Finding]:
    """Each finding's `basis`: whether the location fact its path names was checked.

    A rule that checks location facts declares them in its METADATA (`custom.verifies`,
    e.g. [country] or [fedramp]); its pass at location L verifies those facts at L, its
    failure contradicts them (a contradiction outweighs any pass). Any other finding whose
    path is one of those facts (`spec.locations[L].<fact>...`) takes that fact's state;
    the rest stay `asserted`. No rule family is named here: one that brings evidence of
    its own (Terraform, a CMDB) plugs in with METADATA alone.
    """
    facts: dict[tuple[int, str], str] = {}
    # A checking rule that names no fact (a binding exists, storage is private, the
    # catalogue covers the region) rests on what it checked, the catalogue or the code: its
    # pass is verified, its failure contradicts the manifest, except an advisory one, which
    # says a claim could not be checked (that stays asserted).
    checking = {m.framework for m in catalogue.values() if m.verifies}
    for finding in findings:
        meta = catalogue.get(finding.rule_id)
        if meta is None or not meta.verifies:
            continue
        index = _location_index(finding.path)
        if index is None:
            continue
        state = "contradicted" if finding.status == "fail" else "verified"
        for fact in meta.verifies:
            if facts.get((index, fact)) != "contradicted":
                facts[(index, fact)] = state
    if not facts and not checking:
        return list(findings)
    return [_with_basis(finding, facts, catalogue, checking) for finding in findings]


def _with_basis(
    finding: Finding,
    facts: Mapping[tuple[int, str], str],
    catalogue: Mapping[str, RuleMeta],
    checking: set[str],
) -> Finding:
    meta = catalogue.get(finding.rule_id)
    if meta is not None and meta.framework in checking and not meta.verifies:
        if finding.status != "fail":
            return replace(finding, basis="verified")
        if meta.severity is not Severity.ADVISORY:
            return replace(finding, basis="contradicted")
        return finding
    path = finding.path
    index = _location_index(path)
    if index is None or len(path) < 4 or not isinstance(path[3], str):
        return finding
    state = facts.get((index, path[3]))
    return finding if state is None else replace(finding, basis=state)


def _location_index(path: Sequence[str | int]) -> int | None:
    if len(path) >= 3 and path[0] == "spec" and path[1] == "locations":
        index = path[2]
        return index if isinstance(index, int) else None
    return None


def _cut(value: Any, path: list[str | int]) -> list[str | int]:
    """Cut a path that runs through absent objects at the first missing field.

    Rules point at the field that decides (`personnel.clearance`); where `personnel` itself is
    absent, the element a user must add is `personnel`, and that is what the report names.
    """
    node = value
    for depth, key in enumerate(path):
        present = (isinstance(node, dict) and isinstance(key, str) and key in node) or (
            isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node)
        )
        if not present:
            return path[: depth + 1]
        node = node[key]
    return path


def _optional_text(raw: Mapping[str, Any], key: str, rule_id: str) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        return sys.intern(value)
    raise ShapeError(f"{rule_id}: {key} must be an id or null")


def _movement(value: Any, rule_id: str) -> Movement | None:
    if value is None:
        return None
    try:
        return Movement(str(value["from"]), str(value["to"]), tuple(map(str, value["datasets"])))
    except (KeyError, TypeError):
        raise ShapeError(f"{rule_id}: transfer must be {{from, to, datasets}} or null") from None
