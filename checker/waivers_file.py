"""The waivers file: loaded like a manifest (YAML 1.2 core or JSON, with positions), checked
against schemas/waivers.schema.json, then against the run (rule ids, expiry window).

Every problem is a located one-line input error (exit 2). Entries without errors are still
used: one mistyped entry must not silently un-waive every other approved exception.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checker.errors import InputError
from checker.loader import Document, load_path
from checker.model import Problem, RuleMeta, Waiver
from checker.validate.cap import cap_errors
from checker.validate.fast import schema_check
from checker.validate.schema import Problem as PathProblem
from checker.validate.schema import did_you_mean, input_errors, schema_errors, schema_path

MAX_VALIDITY_YEARS = 1
_GLOBS = ("deployment", "stage", "location")

if TYPE_CHECKING:  # jsonschema is imported only for a file that fails the fast check
    from jsonschema.protocols import Validator


@lru_cache(maxsize=1)
def waivers_validator() -> Validator:
    from jsonschema import Draft202012Validator

    with schema_path("waivers.schema.json").open(encoding="utf-8") as handle:
        schema = json.load(handle)
    return Draft202012Validator(schema)  # checked against the metaschema in the tests


def latest_expiry(as_of: dt.date) -> dt.date:
    """One year after as-of; from 29 February, the 28th (there is no 29th next year)."""
    try:
        return as_of.replace(year=as_of.year + MAX_VALIDITY_YEARS)
    except ValueError:
        return as_of.replace(year=as_of.year + MAX_VALIDITY_YEARS, day=28)


def load_waivers(
    path: Path, display: str, catalogue: Mapping[str, RuleMeta], as_of: str
) -> tuple[tuple[Waiver, ...], tuple[Problem, ...]]:
    loaded = load_path(path, display)
    if loaded.errors:
        return (), tuple(_problem(e) for e in loaded.errors)
    if len(loaded.documents) != 1:
        found = len(loaded.documents)
        message = (
            f"expected one document with a 'waivers' list, found {found}"
            if found
            else "the waivers file is empty; expected a mapping with a 'waivers' list"
        )
        return (), (Problem("input", display, 1 if found else 0, 1 if found else 0, message),)
    doc = loaded.documents[0]
    errors: list[InputError] = []
    broken: set[tuple[Any, ...]] = set()
    if not schema_check("waivers.schema.json")(doc.value):  # only then jsonschema's words
        validator = waivers_validator()
        errors = list(schema_errors(doc, validator))
        broken = {tuple(e.absolute_path)[:2] for e in validator.iter_errors(doc.value)}
    if errors and any(len(p) < 2 for p in broken):  # the file's shape itself is wrong
        return (), tuple(_problem(e) for e in cap_errors(errors))
    waivers: list[Waiver] = []
    for index, entry in enumerate(doc.value["waivers"]):
        if ("waivers", index) in broken:
            continue
        problems = _entry_problems(entry, index, catalogue, dt.date.fromisoformat(as_of))
        if problems:
            errors.extend(input_errors(doc, problems))
            continue
        waivers.append(_waiver(doc, entry, index, display))
    errors.sort(key=lambda e: (e.span.line, e.span.column))
    return tuple(waivers), tuple(_problem(e) for e in cap_errors(errors))


def _entry_problems(
    entry: Mapping[str, str], index: int, catalogue: Mapping[str, RuleMeta], as_of: dt.date
) -> list[PathProblem]:
    problems = []
    rule = entry["rule"]
    if rule not in catalogue:
        guess = did_you_mean(rule, catalogue)
        hint = f"did you mean {guess!r}?" if guess else "`tdcheck rules` lists the rule ids"
        problems.append(PathProblem(("waivers", index, "rule"), f"unknown rule {rule!r} ({hint})"))
    try:
        expires = dt.date.fromisoformat(entry["expires"])
    except ValueError:
        message = f"{entry['expires']!r} is not a calendar date (expected YYYY-MM-DD)"
        problems.append(PathProblem(("waivers", index, "expires"), message))
        return problems
    latest = latest_expiry(as_of)
    if expires > latest:
        message = (
            f"expires {expires.isoformat()} is more than {MAX_VALIDITY_YEARS} year after the "
            f"as-of date {as_of.isoformat()}; expected {latest.isoformat()} or earlier "
            "(renew waivers, do not make them permanent)"
        )
        problems.append(PathProblem(("waivers", index, "expires"), message))
    return problems


def _waiver(doc: Document, entry: Mapping[str, str], index: int, display: str) -> Waiver:
    globs = {key: entry.get(key, "*") for key in _GLOBS}
    return Waiver(
        rule=entry["rule"],
        reason=entry["reason"],
        approved_by=entry["approved_by"],
        expires=entry["expires"],
        source=display,
        line=doc.locate(("waivers", index))[0],
        **globs,
    )


def _problem(error: InputError) -> Problem:
    message = f"{error.json_path}: {error.message}" if error.json_path else error.message
    return Problem("input", error.span.file, error.span.line, error.span.column, message)
