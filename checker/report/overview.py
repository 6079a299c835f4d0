"""Run-level parts of the audit report (headline, problems, waivers, evidence) as rows."""

from __future__ import annotations

from collections.abc import Sequence

from checker.model import Problem, Report, Waiver

_OUTCOME = {
    0: "PASS: no failing finding at or above --fail-on",
    1: "FAIL: failing findings at or above --fail-on",
    2: "INVALID INPUT: some inputs could not be read or validated",
    3: "NOT EVALUATED: something could not be evaluated",
}


def headline(report: Report) -> list[tuple[str, str]]:
    counts = report.counts()
    status, failed = counts["by_status"], counts["failed_by_severity"]
    code = report.exit_code()
    return [
        ("Outcome", f"{_OUTCOME.get(code, 'exit code')} (exit code {code})"),
        ("As of", report.as_of),
        (
            "Manifests",
            f"{report.manifests_valid + report.manifests_invalid} "
            f"({report.manifests_invalid} invalid)",
        ),
        (
            "Findings",
            f"{status['fail']} failed ({failed['error']} error, {failed['warning']} warning, "
            f"{failed['advisory']} advisory), {status['waived']} waived, {status['pass']} passed",
        ),
        ("Frameworks in scope", ", ".join(report.frameworks) or "none"),
    ]


NAMES_SHOWN = 10  # failing deployments named per control; the rest are counted


def named(names: Sequence[str]) -> str:
    shown = ", ".join(names[:NAMES_SHOWN])
    more = len(names) - NAMES_SHOWN
    return shown + (f" and {more} more" if more > 0 else "")


def problems_by_kind(report: Report) -> list[tuple[str, list[Problem]]]:
    groups = [
        ("Invalid input", [p for p in report.problems if p.kind == "input"]),
        ("Not evaluated", [p for p in report.problems if p.kind == "evaluation"]),
    ]
    return [(title, problems) for title, problems in groups if problems]


def scope(waiver: Waiver) -> str:
    return f"deployment {waiver.deployment}, stage {waiver.stage}, location {waiver.location}"


def waiver_state(waiver: Waiver, report: Report) -> str:
    # Dates are YYYY-MM-DD strings: their order is the calendar's.
    if waiver.expires < report.as_of:
        return "expired: not applied"
    if waiver in report.unused_waivers:
        return "unused: matches no finding"
    used = dict(report.stats().waiver_uses).get(waiver, 0)
    return f"{used} finding(s)"


def waiver_rows(waivers: Sequence[Waiver], report: Report | None = None) -> list[list[str]]:
    rows = []
    for w in waivers:
        row = [w.rule, scope(w), w.reason, w.approved_by, w.expires]
        if report is not None:
            row.append(waiver_state(w, report))
        rows.append(row)
    return rows


def evidence_rows(report: Report) -> list[tuple[str, str]]:
    engine = report.engine.name
    if report.engine.version:
        engine += f" ({report.engine.version})"
    rows = [
        ("Tool", f"tdcheck {report.tool_version}"),
        ("Engine", engine),
        ("Policy digest", report.policy_digest or "none (no policies evaluated)"),
        ("As of", report.as_of),
        ("Fail on", report.fail_on),
        ("Exit code", str(report.exit_code())),
    ]
    made = report.provenance
    if made is not None:
        rows.insert(0, ("Generated", made.generated_at))
        if made.commit:
            state = "modified tracked files (dirty)" if made.dirty else "clean"
            rows.append(("Commit", f"{made.commit} ({state})"))
        waivers = made.waivers_file or "none"
        if made.waivers_sha256:
            waivers += f" ({made.waivers_sha256})"
        rows.append(("Waivers file", waivers))
    return rows
