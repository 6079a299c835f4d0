"""`--format html` and `tdcheck report -o FILE.html`: the audit report as one HTML page.

Self-contained on purpose: inline CSS and SVG, no script, no font, image or stylesheet
fetched from anywhere (audit evidence must open the same way offline, years later), and
print CSS so each manifest starts on a new page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from checker.model import Finding, Report
from checker.report.audit import NOT_APPLICABLE, Cell, Control, Section, controls, sections
from checker.report.common import subject_text, waiver_note
from checker.report.diagram import COLORS, svg
from checker.report.interface import Renderer, RenderOptions
from checker.report.overview import (
    evidence_rows,
    headline,
    named,
    problems_by_kind,
    waiver_rows,
)
from checker.textsafe import html_text

CSS = """
:root { color-scheme: light; }
* { -webkit-print-color-adjust: exact; print-color-adjust: exact; box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  color: #1b1f24; background: #fff; margin: 0 auto; max-width: 1100px; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 12px; }
h2 { font-size: 20px; border-bottom: 2px solid #d0d7de; padding-bottom: 4px; margin-top: 36px; }
h2 small { font-size: 13px; color: #57606a; font-weight: normal; }
h3 { font-size: 16px; margin: 22px 0 8px; }
table { border-collapse: collapse; margin: 6px 0 14px; width: 100%; }
th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f3f5f7; }
table.kv { width: auto; } table.kv th { width: 180px; }
table.passed td:first-child, table.passed td:nth-child(4) { white-space: nowrap; }
code { font: 12px ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
  overflow-wrap: anywhere; }
td.cell { text-align: center; white-space: nowrap; font-weight: 600; }
td.fail { background: #fde7ea; color: #8a0015; }
td.waived { background: #fff4e0; color: #7a4a00; }
td.pass { background: #e6f4ea; color: #1e5631; }
td.na { background: #f6f8fa; color: #8c959f; font-weight: normal; }
tr.location th, tr.movement th { font-style: italic; }
figure { margin: 8px 0 16px; } figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 12px; color: #57606a; }
svg .loc-name, svg .stage-name { font-size: 13px; font-weight: 700; fill: #1b1f24; }
svg .loc-detail, svg .stage-type { font-size: 11px; fill: #57606a; }
svg .edge-label { font-size: 11px; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
article.finding { border: 1px solid #d0d7de; border-left: 6px solid #8c959f;
  border-radius: 4px; padding: 6px 12px; margin: 8px 0; }
article.fail { border-left-color: #b00020; } article.waived { border-left-color: #b26a00; }
article h4 { margin: 2px 0 6px; font-size: 14px; }
article dl { display: grid; grid-template-columns: 110px 1fr; gap: 2px 10px; margin: 0; }
article dt { color: #57606a; } article dd { margin: 0; }
.badge { display: inline-block; padding: 0 6px; border-radius: 3px; font-size: 12px;
  border: 1px solid currentColor; }
.problems li { color: #8a0015; }
@page { size: A4; margin: 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  section.manifest ~ section.manifest, section.run { break-before: page; }
  h2, h3, h4 { break-after: avoid; }
  table.kv, table.matrix, figure, article, tr { break-inside: avoid; }
}
"""
_LABEL = {"fail": "fail", "waived": "waived", "pass": "pass", NOT_APPLICABLE: "n/a"}


_CODE_SPAN = re.compile(r"`([^`\r\n]+)`")


def _e(text: object) -> str:
    return html_text(str(text))


def rich(text: str) -> str:
    """A rule's text (remediation, citation) with its Markdown code spans as <code>: every
    other character is escaped, and so is the text inside the spans."""
    parts, last = [], 0
    for match in _CODE_SPAN.finditer(text):
        parts += [_e(text[last : match.start()]), f"<code>{_e(match[1])}</code>"]
        last = match.end()
    parts.append(_e(text[last:]))
    return "".join(parts)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], cls: str = "") -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    attr = f' class="{cls}"' if cls else ""
    return f"<table{attr}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _kv(rows: Sequence[tuple[str, str]], code: bool = False) -> str:
    wrap = (lambda v: f"<code>{_e(v)}</code>") if code else _e
    body = "".join(f"<tr><th>{_e(k)}</th><td>{wrap(v)}</td></tr>" for k, v in rows)
    return f'<table class="kv"><tbody>{body}</tbody></table>'


def _cell(c: Cell, attribute: str = "data-status") -> str:
    css = "na" if c.status == NOT_APPLICABLE else c.status
    title = f"{c.failed} failed, {c.waived} waived, {c.passed} passed"
    counts = "" if c.status == NOT_APPLICABLE else f" {c.failed}/{c.waived}/{c.passed}"
    return (
        f'<td class="cell {css}" {attribute}="{_e(_LABEL[c.status])}" title="{title}">'
        f"{_LABEL[c.status]}{counts}</td>"
    )


def _matrix(section: Section) -> str:
    if not section.frameworks:
        return "<p>No rule applies to this manifest.</p>"
    head = "".join(f"<th>{_e(fw)}</th>" for fw in section.frameworks)
    rows = "".join(
        f'<tr class="{row.kind}"><th>{_e(row.label)}</th>'
        + "".join(_cell(c) for c in row.cells)
        + "</tr>"
        for row in section.rows
    )
    return (
        f'<table class="matrix"><thead><tr><th>subject</th>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table>"
        "<p><small>Each cell: status, then failed/waived/passed findings. n/a: no rule of "
        "the framework applies.</small></p>"
    )


def _finding(f: Finding) -> str:
    rows = [
        ("Subject", _e(subject_text(f))),
        ("Where", f"<code>{_e(f'{f.manifest}:{f.line}:{f.column}')}</code>"),
        ("Finding", _e(f.message)),
        ("Citation", rich(f.citation)),
        ("Remediation", rich(f.remediation)),
    ]
    if f.waiver is not None:
        rows.append(("Waiver", _e(waiver_note(f.waiver))))
    body = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    return (
        f'<article class="finding {f.status}"><h4>{_e(f.rule_id)} '
        f'<span class="badge">{f.status} · {f.severity.value} · {f.basis}</span> {_e(f.title)}</h4>'
        f"<dl>{body}</dl></article>"
    )


def _controls(rows: Sequence[Control]) -> str:
    if not rows:
        return ""
    body = "".join(
        f"<tr><td>{_e(c.framework)}</td><td>{rich(c.citation)}</td>"
        f"<td>{_e(', '.join(c.rules))}</td>{_cell(c.cell, 'data-control')}"
        f"<td>{_e(named(c.failing))}</td></tr>"
        for c in rows
    )
    head = "".join(
        f"<th>{h}</th>" for h in ("framework", "control", "rules", "status", "failing in")
    )
    return (
        '<section class="controls"><h2>By framework and control</h2>'
        f'<table class="controls"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
        "<p><small>Each control (the citation its rules implement) over every manifest: "
        "status, then failed/waived/passed findings.</small></p></section>"
    )


def _section(section: Section, index: int) -> str:
    topo = section.topology
    parts = [
        f'<section class="manifest" id="m{index}">',
        f"<h2>{_e(topo.deployment)} <small>{_e(topo.manifest)}</small></h2>",
        "<h3>Compliance matrix</h3>",
        _matrix(section),
        "<h3>Data flow</h3>",
        f"<figure>{svg(section, index)}<figcaption>Locations hold their stages; arrows are "
        f'movements of data. <b style="color:{COLORS["fail"]}">Red</b>: a failing movement '
        "(labelled with the rules); dashed: not declared by a transfer; red boxes: a failing "
        "stage or location.</figcaption></figure>",
        "<h3>Frameworks in scope</h3>",
    ]
    items = "".join(
        f"<li><b>{_e(t.framework)}</b> ({t.subjects} finding(s)): {_e(t.because)}</li>"
        for t in section.triggers
    )
    parts.append(f"<ul>{items}</ul>" if items else "<p>None.</p>")
    if section.claims:
        parts.append("<h3>Verified location facts</h3>")
        claim_rows = [
            [_e(c.location), _e(c.facts or "-"), _e(c.state), _e(c.rule_id), _e(c.evidence)]
            for c in section.claims
        ]
        header = ["location", "claims", "state", "rule", "record (sources, date read)"]
        parts.append(_table(header, claim_rows, "claims"))
    decided = [f for f in section.findings if f.status != "pass"]
    parts.append("<h3>Findings</h3>")
    parts += [_finding(f) for f in decided] or ["<p>No failing or waived finding.</p>"]
    passed = [f for f in section.findings if f.status == "pass"]
    if passed:
        parts.append(f"<h3>Passed checks ({len(passed)})</h3>")
        rows = [
            [
                _e(f.rule_id),
                _e(subject_text(f)),
                _e(f.message),
                f.basis,
                f"<code>{f.line}:{f.column}</code>",
                _e(f.citation),
            ]
            for f in passed
        ]
        header = ["rule", "subject", "finding", "basis", "line:col", "citation"]
        parts.append(_table(header, rows, "passed"))
    if section.waivers:
        parts.append("<h3>Waivers applied</h3>")
        rows = [[_e(c) for c in row] for row in waiver_rows(section.waivers)]
        parts.append(_table(["rule", "scope", "reason", "approved by", "expires"], rows))
    parts.append("</section>")
    return "".join(parts)


class HtmlRenderer(Renderer):
    name = "html"

    def chunks(self, report: Report, options: RenderOptions) -> Iterator[str]:
        """The page's parts, one per line: the head, each manifest's section, the end."""
        parts = [
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>tdcheck audit report {_e(report.as_of)}</title>",
            f"<style>{CSS}</style></head><body>",
            "<header><h1>tdcheck audit report</h1>",
            _kv(headline(report)),
            "</header>",
        ]
        for kind, problems in problems_by_kind(report):
            items = "".join(f"<li><code>{_e(p.one_line())}</code></li>" for p in problems)
            parts.append(f'<section class="problems"><h2>{_e(kind)}</h2><ul>{items}</ul></section>')
        parts.append(_controls(controls(report)))
        yield "\n".join(parts)
        for i, section in enumerate(sections(report)):
            yield "\n" + _section(section, i)
        parts = ['<section class="run"><h2>Waivers in force</h2>']
        if report.waivers:
            rows = [[_e(c) for c in row] for row in waiver_rows(report.waivers, report)]
            header = ["rule", "scope", "reason", "approved by", "expires", "used"]
            parts.append(_table(header, rows, "waivers"))
        else:
            parts.append("<p>No waivers were loaded for this run.</p>")
        parts += ["<h2>Evidence</h2>", _kv(evidence_rows(report), code=True), "<h3>Inputs</h3>"]
        rows = [
            [
                f"<code>{_e(i.path)}</code>",
                f"<code>{_e(i.sha256 or 'unreadable')}</code>",
                _e(", ".join(i.deployments)),
                _e(len(i.errors)),
            ]
            for i in report.inputs
        ]
        parts.append(_table(["file", "sha256", "deployments", "errors"], rows, "inputs"))
        parts.append("</section></body></html>\n")
        yield "\n" + "\n".join(parts)
