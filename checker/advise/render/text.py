"""`advise --format text`: a compact stage x location matrix per manifest, then the reasons.

Every line is passed through `inline` as a whole (there are no colours to keep): a stage or
location id with a line break, ESC or a leading `::` stays text on its line.
"""

from __future__ import annotations

from checker.advise.model import ALLOWED, AdviceReport, ManifestAdvice
from checker.advise.render.common import (
    CATEGORY_NAMES,
    KEY,
    advice_status,
    architecture_lines,
    cell,
    rule_list,
    subject,
    thresholds_text,
)
from checker.model import Severity
from checker.textsafe import inline


def matrix(m: ManifestAdvice) -> list[str]:
    # Cells escaped before the widths are taken, so a hostile id keeps the columns aligned.
    header = ["stage", "type", *(inline(loc.id) for loc in m.locations)]
    rows = [[inline(s.id), inline(s.type), *(cell(p) for p in s.placements)] for s in m.stages]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    return [
        "  ".join(text.ljust(width) for text, width in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]


def reasons(m: ManifestAdvice, verbose: bool) -> list[str]:
    lines = []
    for stage in m.stages:
        for p in stage.placements:
            if p.verdict == ALLOWED and not p.warnings and not (verbose and p.advisories):
                continue
            label = f"  {stage.id} at {p.location}:"
            parts = []
            if p.blocking:
                parts.append(f"blocked by {rule_list(p.blocking)}")
            if p.transfers:
                parts.append(f"transfers to declare or fix: {rule_list(p.transfers)}")
            if p.warnings:
                parts.append(f"warnings {rule_list(p.warnings)}")
            if p.advisories:
                parts.append(f"advisory {rule_list(p.advisories)}")
            lines.append(f"{label} {'; '.join(parts)}")
            if verbose:
                lines.extend(
                    f"      {f.rule_id} [{f.severity.value}] {f.message}"
                    for f in (*p.blocking, *p.transfers, *p.warnings, *p.advisories)
                )
    return lines


def summary(m: ManifestAdvice) -> list[str]:
    lines = architecture_lines(m)
    for loc in m.locations:
        for f in loc.findings:
            if f.severity != Severity.ADVISORY:  # advisories are listed with the advice below
                lines.append(f"location {loc.id}: {f.rule_id} [{f.severity.value}] {f.message}")
    advice = m.summary.advice
    lines.append(f"cost and scale advice ({thresholds_text(m.summary)}):")
    lines.extend(f"  {f.rule_id} {advice_status(f)} {subject(f)}: {f.message}" for f in advice)
    if not advice:
        lines.append("  none: no ADV rule applies to the placement as it stands")
    return lines


class TextAdvice:
    name = "text"

    def render(self, report: AdviceReport, verbose: bool) -> str:
        out = [f"error: {p.one_line()}" for p in report.problems]
        for m in report.manifests:
            if out:
                out.append("")
            places = ", ".join(
                f"{loc.id} {CATEGORY_NAMES[loc.category]} {loc.country}" for loc in m.locations
            )
            out.append(
                f"{m.manifest} ({m.deployment}): {len(m.stages)} stages x "
                f"{len(m.locations)} locations ({places})"
            )
            out.extend(f"  {line}" for line in matrix(m))
            why = reasons(m, verbose)
            if why:
                out.append("where not simply allowed:")
                out.extend(why)
            out.extend(summary(m))
        if report.manifests:
            out.append(f"key: {KEY}")
        return "\n".join(inline(line) for line in out) + "\n"
