"""Findings as plain tuples for a cache entry; the catalogue's texts are not repeated."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

from checker.model import Finding, Movement, RuleMeta, Severity

_SEVERITY = {s.value: s for s in Severity}
Texts = Mapping[str, tuple[str, str, str]]  # rule id -> title, citation, remediation


def catalogue_texts(rules: tuple[RuleMeta, ...]) -> dict[str, tuple[str, str, str]]:
    return {m.rule_id: (m.title, m.citation, m.remediation) for m in rules}


def to_row(f: Finding, texts: Texts) -> tuple[Any, ...]:
    own = (f.title, f.citation, f.remediation)
    t = f.transfer
    return (
        f.rule_id,
        f.framework,
        f.severity.value,
        f.status,
        f.subject,
        f.stage,
        f.location,
        (t.source, t.target, t.datasets) if t is not None else None,
        f.message,
        f.path,
        None if texts.get(f.rule_id) == own else own,
        f.manifest,
        f.deployment,
        f.line,
        f.column,
    )


def from_row(row: tuple[Any, ...], texts: Texts) -> Finding:
    transfer, own = row[7], row[10]
    title, citation, remediation = own if own is not None else texts[row[0]]
    intern = sys.intern
    return Finding(
        intern(row[0]),
        row[1],
        _SEVERITY[row[2]],
        intern(row[3]),
        intern(row[4]),
        row[5],
        row[6],
        Movement(*transfer) if transfer is not None else None,
        row[8],
        row[9],
        title,
        citation,
        remediation,
        row[11],
        row[12],
        row[13],
        row[14],
    )
