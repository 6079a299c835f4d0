"""`advise --format markdown`: the matrix as a table, each placement's reasons with the facts.

Ids, messages and file names are escaped with the audit report's helpers (`md`, `code`,
`cell_code`): a stage called `<script>` or `a|b` stays text in its cell, and a line break
in a location id cannot end the table row or the list item it is in.
"""

from __future__ import annotations

from checker.advise.model import ALLOWED, AdviceReport, ManifestAdvice
from checker.advise.render.common import (
    CATEGORY_NAMES,
    KEY,
    advice_status,
    architecture_lines,
    cell,
    subject,
    thresholds_text,
)
from checker.model import Finding, Severity
from checker.report.markdown import cell_code, code, md


def _finding(f: Finding) -> str:
    return f"{code(f.rule_id)} ({f.severity.value}, line {f.line}): {md(f.message)}"


def _manifest(m: ManifestAdvice) -> list[str]:
    header = [
        "stage",
        "type",
        *(md(f"{loc.id} ({CATEGORY_NAMES[loc.category]})") for loc in m.locations),
    ]
    lines = [
        f"## {md(m.deployment)}",
        "",
        f"{code(m.manifest)}: {len(m.stages)} stages x {len(m.locations)} locations.",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    for s in m.stages:
        cells = [cell_code(cell(p)) for p in s.placements]
        lines.append("| " + " | ".join([md(s.id), md(s.type), *cells]) + " |")
    lines += ["", f"Key: {KEY}.", "", "### Summary", ""]
    lines += [f"- {md(line)}" for line in architecture_lines(m)]
    for loc in m.locations:
        lines += [
            f"- location {md(loc.id)}: {_finding(f)}"
            for f in loc.findings
            if f.severity != Severity.ADVISORY  # listed with the advice below
        ]
    lines += ["", f"Cost and scale advice ({thresholds_text(m.summary)}):", ""]
    lines += [
        f"- {advice_status(f)} {md(subject(f))}: {_finding(f)}" for f in m.summary.advice
    ] or ["- none: no ADV rule applies to the placement as it stands"]
    details = []
    for s in m.stages:
        for p in s.placements:
            if p.verdict == ALLOWED and not p.warnings and not p.advisories:
                continue
            where = f"{md(s.id)} at {md(p.location)}"
            details += [f"- **{where}**: {p.verdict.replace('_', ' ')}"]
            details += [f"  - blocked by {_finding(f)}" for f in p.blocking]
            details += [f"  - transfer: {_finding(f)}" for f in p.transfers]
            details += [f"  - warning: {_finding(f)}" for f in p.warnings]
            details += [f"  - advisory: {_finding(f)}" for f in p.advisories]
    if details:
        lines += ["", "### Placements not simply allowed", "", *details]
    return lines


class MarkdownAdvice:
    name = "markdown"

    def render(self, report: AdviceReport, verbose: bool) -> str:
        lines = ["# Where may each stage run? (tdcheck advise)", ""]
        lines.append(
            f"As of {report.as_of}; engine {report.engine.name} {md(report.engine.version)}; "
            f"a placement is blocked by failing findings of severity {report.fail_on} and above."
        )
        for p in report.problems:
            lines += ["", f"- **error** {code(p.one_line())}"]
        for m in report.manifests:
            lines += ["", *_manifest(m)]
        return "\n".join(lines) + "\n"
