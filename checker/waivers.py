"""Waivers (cli-v1.md): approved, expiring exceptions, applied to findings after evaluation.

Decisions stay in Rego: a waiver never changes whether a rule fails, only how an approved
failure is presented (status `waived`, the waiver attached) and counted (never toward the
exit code). Matching, per waiver entry, all of:
- `rule` equals the finding's rule id;
- `deployment` (glob, default `*`) matches the manifest's metadata.name;
- `stage` (glob, default `*`) matches the stage id; location and movement findings have no
  stage, so they only match `*`: a stage-scoped waiver never hides a location or a movement;
- `location` (glob, default `*`) matches the location id or, for a movement, either end.
Globs are fnmatch patterns, case-sensitive on every platform (ids are case-sensitive).
The first unexpired matching entry (in file order) waives a failing finding. An expired
entry (expires < as-of) waives nothing: its finding stays `fail` and a WAIVER-EXPIRED
finding beside it says which waiver lapsed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from fnmatch import fnmatchcase
from pathlib import Path

from checker.model import Finding, Problem, RuleMeta, Severity, Waiver
from checker.waivers_file import load_waivers

DEFAULT_WAIVERS_FILE = ".tdcheck-waivers.yaml"
EXPIRED_RULE_ID = "WAIVER-EXPIRED"


def default_waivers_path(value: Path | None, cwd: Path | None = None) -> Path | None:
    """The file named by --waivers / TDCHECK_WAIVERS, else the default one if it exists: in
    the working directory or above it, up to the repository root (checker/project.py)."""
    if value is not None:
        return value
    from checker.project import find_upwards

    return find_upwards(DEFAULT_WAIVERS_FILE, cwd)


class WaiverBook:
    """The run's waivers, applied to findings as they stream past, file by file.

    Only small state carries over between calls (which waivers were used, which deployments
    had findings), so `unused()` at the end is what one call over every finding would give.
    """

    def __init__(
        self,
        waivers: Sequence[Waiver],
        as_of: str,
        rules: Sequence[RuleMeta],
        frameworks: Sequence[str] = (),
        problems: Sequence[Problem] = (),
    ) -> None:
        today = dt.date.fromisoformat(as_of)
        self.waivers = tuple(waivers)
        self.problems = tuple(problems)  # from loading the file
        self._active = [w for w in waivers if dt.date.fromisoformat(w.expires) >= today]
        self._expired = [w for w in waivers if dt.date.fromisoformat(w.expires) < today]
        self._catalogue = {meta.rule_id: meta for meta in rules}
        self._frameworks = tuple(frameworks)
        self._used: set[int] = set()
        self._evaluated: set[str] = set()

    @classmethod
    def load(
        cls, path: Path | None, rules: Sequence[RuleMeta], as_of: str, frameworks: Sequence[str]
    ) -> WaiverBook:
        """The waivers file (if any); a malformed entry is dropped and reported."""
        if path is None:
            return cls((), as_of, rules, frameworks)
        catalogue = {meta.rule_id: meta for meta in rules}
        waivers, problems = load_waivers(path, str(path), catalogue, as_of)
        return cls(waivers, as_of, rules, frameworks, problems)

    def apply(self, findings: Sequence[Finding]) -> list[Finding]:
        """Findings with waived failures marked, each WAIVER-EXPIRED finding after its own."""
        out: list[Finding] = []
        if not self.waivers:
            return list(findings)
        for finding in findings:
            self._evaluated.add(finding.deployment)
            if not finding.failed or finding.rule_id == EXPIRED_RULE_ID:
                out.append(finding)
                continue
            waiver = next((w for w in self._active if matches(w, finding)), None)
            if waiver is not None:
                self._used.add(id(waiver))
                out.append(replace(finding, status="waived", waiver=waiver))
                continue
            out.append(finding)
            lapsed = next((w for w in self._expired if matches(w, finding)), None)
            if lapsed is not None:
                self._used.add(id(lapsed))
                out.append(expired_finding(finding, lapsed))
        return out

    def concerns(self, deployments: Iterable[str]) -> bool:
        """Whether `apply` could change these deployments' findings or the unused waivers:
        if not, a file's findings may skip it (a file from the result cache is spooled as
        it was stored)."""
        return any(fnmatchcase(d, w.deployment) for w in self.waivers for d in deployments)

    def unused(self) -> tuple[Waiver, ...]:
        return tuple(
            w
            for w in self.waivers
            if id(w) not in self._used
            and _in_scope(w, self._catalogue, self._frameworks, self._evaluated)
        )


def apply_waivers(
    findings: Sequence[Finding],
    waivers: Sequence[Waiver],
    as_of: str,
    catalogue: Mapping[str, RuleMeta],
    frameworks: Sequence[str] = (),
) -> tuple[tuple[Finding, ...], tuple[Waiver, ...]]:
    """Findings with waived failures marked (plus WAIVER-EXPIRED ones), and unused waivers."""
    book = WaiverBook(waivers, as_of, tuple(catalogue.values()), frameworks)
    applied = book.apply(findings)
    return tuple(applied), book.unused()


def matches(waiver: Waiver, finding: Finding) -> bool:
    if waiver.rule != finding.rule_id:
        return False
    if not fnmatchcase(finding.deployment, waiver.deployment):
        return False
    stage = finding.stage if finding.subject == "stage" else None
    if not fnmatchcase(stage or "", waiver.stage):
        return False
    ends: tuple[str, ...]
    if finding.transfer is not None:
        ends = (finding.transfer.source, finding.transfer.target)
    else:
        ends = (finding.location or "",)
    return any(fnmatchcase(end, waiver.location) for end in ends)


def _in_scope(
    waiver: Waiver,
    catalogue: Mapping[str, RuleMeta],
    frameworks: Sequence[str],
    evaluated: set[str],
) -> bool:
    # "Unused" must mean "could have applied in this run and did not": a pre-commit run
    # that checks two staged manifests must not call every other manifest's waiver unused.
    meta = catalogue.get(waiver.rule)
    if frameworks and (meta is None or meta.framework not in frameworks):
        return False
    return any(fnmatchcase(name, waiver.deployment) for name in evaluated)


def expired_finding(finding: Finding, waiver: Waiver) -> Finding:
    """WAIVER-EXPIRED: framework and subject of the finding the waiver would have hidden."""
    where = f"{waiver.source}:{waiver.line}" if waiver.line else waiver.source
    return replace(
        finding,
        rule_id=EXPIRED_RULE_ID,
        severity=Severity.WARNING,
        status="fail",
        message=(
            f"the waiver for {waiver.rule} at {where} (approved by {waiver.approved_by}) "
            f"expired on {waiver.expires}; {finding.rule_id} is reported as failing again"
        ),
        title="Waiver expired",
        citation="tdcheck waivers file: expires (cli-v1.md)",
        remediation=(
            f"fix the {finding.rule_id} finding, or renew the waiver in {waiver.source} "
            "with a fresh approval and an expiry at most one year ahead"
        ),
        waiver=None,
    )
