"""`--format markdown` and `tdcheck report -o FILE.md`: the audit report as GitHub Markdown.

The data-flow diagram is a Mermaid flowchart (GitHub renders ```mermaid blocks): locations
are subgraphs holding their stages, movements are links between locations, failing ones
red and labelled with the failing rules, undeclared ones dotted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from checker.model import Finding, Report
from checker.report.audit import NOT_APPLICABLE, Cell, Control, Section, controls, sections
from checker.report.common import subject_text, waiver_note
from checker.report.interface import Renderer, RenderOptions
from checker.report.overview import (
    evidence_rows,
    headline,
    named,
    problems_by_kind,
    waiver_rows,
)
from checker.textsafe import escape_controls

FAIL_COLOR = "#b00020"
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")
_SYMBOL = {"fail": "❌ fail", "waived": "⚠️ waived", "pass": "✅ pass", NOT_APPLICABLE: "—"}


def md(text: str) -> str:
    """Inline text safe in Markdown paragraphs and table cells."""
    text = escape_controls(text, keep="\r\n")
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\r", " ").replace("\n", " ")


_CODE_SPAN = re.compile(r"`([^`\r\n]+)`")


def rich(text: str, in_cell: bool = False) -> str:
    """A rule's text with its Markdown code spans kept as code spans; the rest escaped."""
    span = cell_code if in_cell else code
    parts, last = [], 0
    for match in _CODE_SPAN.finditer(text):
        parts += [md(text[last : match.start()]), span(match[1])]
        last = match.end()
    parts.append(md(text[last:]))
    return "".join(parts)


def code(text: str) -> str:
    # CR ends a line as LF does: either would end the list item or heading the span is in.
    text = escape_controls(text, keep="\r\n")
    return "`" + text.replace("`", "'").replace("\r", " ").replace("\n", " ") + "`"


def cell_code(text: str) -> str:
    """A code span in a table cell: GFM splits cells at `|` even inside code spans."""
    return code(text).replace("|", "\\|")


def mermaid_label(text: str) -> str:
    # Inside a quoted Mermaid label, `"` ends the label, `<`/`>` are read as HTML, `|` can end
    # an edge label, a leading backtick starts a Markdown string, and a CR or LF would end the
    # line (a line of ``` closes the fence: what follows would be the page's Markdown).
    return (
        escape_controls(text, keep="\r\n")
        .replace("#", "#35;")
        .replace('"', "#quot;")
        .replace("<", "#lt;")
        .replace(">", "#gt;")
        .replace("|", "#124;")
        .replace("`", "#96;")
        .replace("\r", " ")
        .replace("\n", " ")
    )


def _cell(c: Cell) -> str:
    if c.status == NOT_APPLICABLE:
        return _SYMBOL[c.status]
    return f"{_SYMBOL[c.status]} {c.failed}/{c.waived}/{c.passed}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines + [""]


def mermaid(section: Section) -> list[str]:
    topo = section.topology
    loc_id = {loc.id: f"L{i}" for i, loc in enumerate(topo.locations)}
    lines = ["```mermaid", "flowchart LR"]
    for loc in topo.locations:
        label = f"{loc.id} · {loc.kind} · {loc.country}"
        label += " · air-gapped" if loc.air_gapped else ""
        lines.append(f'  subgraph {loc_id[loc.id]}["{mermaid_label(label)}"]')
        lines.append("    direction TB")
        for i, stage in enumerate(topo.stages):
            if stage.location == loc.id:
                text = f"{mermaid_label(stage.id)}<br/>{mermaid_label(stage.type)}"
                lines.append(f'    S{i}["{text}"]')
        lines.append("  end")
    styles = []
    edges = [e for e in section.edges if e.source in loc_id and e.target in loc_id]
    for n, edge in enumerate(edges):  # linkStyle numbers links in the order they are declared
        arrow = "-->" if edge.declared else "-.->"
        label = mermaid_label(edge.label)
        lines.append(f'  {loc_id[edge.source]} {arrow}|"{label}"| {loc_id[edge.target]}')
        if edge.status == "fail":
            style = f"stroke:{FAIL_COLOR},stroke-width:3px,color:{FAIL_COLOR}"
            styles.append(f"  linkStyle {n} {style}")
    lines.append(f"  classDef fail fill:#fde7ea,stroke:{FAIL_COLOR},stroke-width:2px")
    failing = [f"S{i}" for i, s in enumerate(topo.stages) if s.id in section.failing_stages]
    failing += [loc_id[x] for x in sorted(section.failing_locations) if x in loc_id]
    if failing:
        lines.append(f"  class {','.join(failing)} fail")
    return [*lines, *styles, "```", ""]


def _finding(f: Finding) -> list[str]:
    mark = {"fail": "❌", "waived": "⚠️"}.get(f.status, "✅")
    lines = [
        f"#### {mark} {md(f.rule_id)} [{f.severity.value}] {md(f.title)}",
        "",
        f"- **Status:** {f.status} (basis: {f.basis})",
        f"- **Subject:** {md(subject_text(f))}",
        f"- **Where:** {code(f'{f.manifest}:{f.line}:{f.column}')}",
        f"- **Finding:** {md(f.message)}",
        f"- **Citation:** {rich(f.citation)}",
        f"- **Remediation:** {rich(f.remediation)}",
    ]
    if f.waiver is not None:
        lines.append(f"- **Waiver:** {md(waiver_note(f.waiver))}")
    return [*lines, ""]


def _controls(rows: tuple[Control, ...]) -> list[str]:
    if not rows:
        return []
    lines = ["## By framework and control", ""]
    lines += _table(
        ["framework", "control", "rules", "status", "failing in"],
        [
            [
                md(c.framework),
                rich(c.citation, in_cell=True),
                md(", ".join(c.rules)),
                _cell(c.cell),
                md(named(c.failing)),
            ]
            for c in rows
        ],
    )
    return [*lines, "Each control (the citation its rules implement) over every manifest.", ""]


def _section(section: Section) -> list[str]:
    topo = section.topology
    lines = [f"## {md(topo.deployment)} ({code(topo.manifest)})", ""]
    lines += ["### Compliance matrix", ""]
    if section.frameworks:
        rows = [[md(r.label), *(_cell(c) for c in r.cells)] for r in section.rows]
        lines += _table(["subject", *section.frameworks], rows)
        lines += ["Cells: status, then failed/waived/passed findings; — not applicable.", ""]
    else:
        lines += ["No rule applies to this manifest.", ""]
    lines += ["### Data flow", "", *mermaid(section)]
    lines += ["### Frameworks in scope", ""]
    triggers = section.triggers
    lines += [f"- **{t.framework}** ({t.subjects} finding(s)): {md(t.because)}" for t in triggers]
    lines += [""] if triggers else ["None.", ""]
    if section.claims:
        lines += ["### Verified location facts", ""]
        lines += _table(
            ["location", "claims", "state", "rule", "record (sources, date read)"],
            [
                [md(c.location), md(c.facts or "-"), c.state, md(c.rule_id), md(c.evidence)]
                for c in section.claims
            ],
        )
    decided = [f for f in section.findings if f.status != "pass"]
    lines += ["### Findings", ""]
    for f in decided:
        lines += _finding(f)
    if not decided:
        lines += ["No failing or waived finding.", ""]
    passed = [f for f in section.findings if f.status == "pass"]
    if passed:
        lines += [f"### Passed checks ({len(passed)})", ""]
        lines += _table(
            ["rule", "subject", "finding", "basis", "line:col", "citation"],
            [
                [
                    md(f.rule_id),
                    md(subject_text(f)),
                    md(f.message),
                    f.basis,
                    cell_code(f"{f.line}:{f.column}"),
                    md(f.citation),
                ]
                for f in passed
            ],
        )
    if section.waivers:
        lines += ["### Waivers applied", ""]
        lines += _table(
            ["rule", "scope", "reason", "approved by", "expires"],
            [[md(c) for c in row] for row in waiver_rows(section.waivers)],
        )
    return lines


class MarkdownRenderer(Renderer):
    name = "markdown"

    def chunks(self, report: Report, options: RenderOptions) -> Iterator[str]:
        """The head, each manifest's section, the run's end: every part's lines joined by
        newlines, as if all lines were joined at once."""
        lines = ["# tdcheck audit report", ""]
        lines += _table(["", ""], [[md(k), md(v)] for k, v in headline(report)])
        for kind, problems in problems_by_kind(report):
            lines += [f"## {kind}", ""]
            lines += [f"- {code(p.one_line())}" for p in problems] + [""]
        lines += _controls(controls(report))
        yield "\n".join(lines) + "\n"
        for section in sections(report):
            yield "\n".join(_section(section)) + "\n"
        lines = ["## Waivers in force", ""]
        if report.waivers:
            lines += _table(
                ["rule", "scope", "reason", "approved by", "expires", "used"],
                [[md(c) for c in row] for row in waiver_rows(report.waivers, report)],
            )
        else:
            lines += ["No waivers were loaded for this run.", ""]
        lines += ["## Evidence", ""]
        lines += _table(["", ""], [[md(k), cell_code(v)] for k, v in evidence_rows(report)])
        lines += ["### Inputs", ""]
        lines += _table(
            ["file", "sha256", "deployments", "errors"],
            [
                [
                    cell_code(i.path),
                    cell_code(i.sha256 or "unreadable"),
                    md(", ".join(i.deployments)),
                    str(len(i.errors)),
                ]
                for i in report.inputs
            ],
        )
        yield "\n".join(lines).rstrip("\n") + "\n"
