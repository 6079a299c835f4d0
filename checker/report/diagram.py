"""The data-flow diagram as inline SVG, laid out here (no layout engine, no script).

Locations are columns, left to right in manifest order, each holding its stages top to
bottom. Every movement gets its own horizontal lane below the columns: a line leaves the
source column, runs along the lane and enters the target column with an arrowhead. Its label
stands at the lane's height in a gutter right of every column, where no line runs, so no
arrow crosses a label whatever the direction or distance (a faint dotted leader joins lane
and label). Failing movements are red, thicker and labelled with the failing rules;
undeclared movements are dashed.
"""

from __future__ import annotations

from checker.report.audit import Edge, Section
from checker.textsafe import html_text

COL_W, COL_GAP, MARGIN = 210, 48, 16
HEAD_H, STAGE_H, STAGE_GAP = 46, 38, 10
LANE_TOP, LANE_H = 34, 38
LABEL_CHARS, CHAR_W, GUTTER_GAP = 64, 7.0, 18  # edge labels: longest shown, width per char
COLORS = {"fail": "#b00020", "waived": "#b26a00", "pass": "#2e7d32", "n/a": "#607d8b"}


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text(x: float, y: float, text: str, cls: str, limit: int = 28) -> str:
    return f'<text x="{x:g}" y="{y:g}" class="{cls}">{html_text(_short(text, limit))}</text>'


def svg(section: Section, index: int) -> str:
    topo = section.topology
    columns = {loc.id: i for i, loc in enumerate(topo.locations)}
    stages_at = {loc.id: [s for s in topo.stages if s.location == loc.id] for loc in topo.locations}
    tallest = max((len(v) for v in stages_at.values()), default=0)
    col_h = HEAD_H + tallest * (STAGE_H + STAGE_GAP) + STAGE_GAP
    edges = [e for e in section.edges if e.source in columns and e.target in columns]
    right = MARGIN + len(columns) * COL_W + max(len(columns) - 1, 0) * COL_GAP
    longest = max((len(_short(e.label, LABEL_CHARS)) for e in edges), default=0)
    gutter = GUTTER_GAP + round(longest * CHAR_W) if edges else 0
    width = right + gutter + MARGIN
    height = MARGIN + col_h + LANE_TOP + len(edges) * LANE_H + MARGIN
    marker = f"arrow{index}"
    parts = [
        f'<svg class="flow" role="img" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" font-family="sans-serif">',
        f"<title>Data flow of {html_text(topo.deployment)}</title>",
        "<defs>",
    ]
    for status, color in COLORS.items():
        parts.append(
            f'<marker id="{marker}-{status.replace("/", "")}" viewBox="0 0 10 10" refX="9" '
            f'refY="5" markerWidth="10" markerHeight="10" markerUnits="userSpaceOnUse" '
            f'orient="auto-start-reverse">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{color}"/></marker>'
        )
    parts.append("</defs>")
    left = {loc: MARGIN + i * (COL_W + COL_GAP) for loc, i in columns.items()}
    for loc in topo.locations:
        x = left[loc.id]
        failing = loc.id in section.failing_locations
        parts.append(
            f'<g class="location{" fail" if failing else ""}" data-location="{html_text(loc.id)}">'
            f'<rect x="{x}" y="{MARGIN}" width="{COL_W}" height="{col_h}" rx="8" '
            f'fill="#ffffff" stroke="{COLORS["fail"] if failing else "#455a64"}" '
            f'stroke-width="{2.5 if failing else 1.5}"/>'
        )
        parts.append(_text(x + 10, MARGIN + 19, loc.id, "loc-name", 26))
        detail = f"{loc.kind} · {loc.country}" + (" · air-gapped" if loc.air_gapped else "")
        parts.append(_text(x + 10, MARGIN + 36, detail, "loc-detail", 34))
        for n, stage in enumerate(stages_at[loc.id]):
            y = MARGIN + HEAD_H + n * (STAGE_H + STAGE_GAP)
            bad = stage.id in section.failing_stages
            parts.append(
                f'<g class="stage{" fail" if bad else ""}" data-stage="{html_text(stage.id)}">'
                f'<rect x="{x + 12}" y="{y}" width="{COL_W - 24}" height="{STAGE_H}" rx="5" '
                f'fill="{"#fde7ea" if bad else "#eef2f5"}" '
                f'stroke="{COLORS["fail"] if bad else "#90a4ae"}" '
                f'stroke-width="{2 if bad else 1}"/>'
            )
            parts.append(_text(x + 22, y + 16, stage.id, "stage-name", 24))
            parts.append(_text(x + 22, y + 31, stage.type, "stage-type", 28) + "</g>")
        parts.append("</g>")
    parts += _lanes(edges, left, MARGIN + col_h, marker, right + GUTTER_GAP)
    parts.append("</svg>")
    return "".join(parts)


def _lanes(
    edges: list[Edge], left: dict[str, int], bottom: int, marker: str, gutter: float
) -> list[str]:
    touching: dict[str, int] = {}
    for e in edges:
        touching[e.source] = touching.get(e.source, 0) + 1
        touching[e.target] = touching.get(e.target, 0) + 1
    used: dict[str, int] = {}

    def port(loc: str) -> float:
        # Spread the lines that touch one column across its width so they stay apart.
        slot = used.get(loc, 0)
        used[loc] = slot + 1
        step = min(28.0, (COL_W - 40) / max(touching[loc] - 1, 1))
        return left[loc] + 20 + slot * step

    parts = []
    for n, edge in enumerate(edges):
        y = bottom + LANE_TOP + n * LANE_H
        x1, x2 = port(edge.source), port(edge.target)
        color = COLORS.get(edge.status, COLORS["n/a"])
        status = edge.status.replace("/", "")
        dash = "" if edge.declared else ' stroke-dasharray="7 5"'
        heavy = edge.status == "fail"
        weight = ' font-weight="bold"' if heavy else ""
        parts.append(
            f'<g class="edge {status}{"" if edge.declared else " undeclared"}" '
            f'data-from="{html_text(edge.source)}" data-to="{html_text(edge.target)}">'
            f'<path d="M{x1:g},{bottom} V{y} H{x2:g} V{bottom + 2}" fill="none" '
            f'stroke="{color}" stroke-width="{3 if heavy else 1.6}"{dash} '
            f'marker-end="url(#{marker}-{status})"/>'
            f'<path d="M{max(x1, x2) + 4:g},{y} H{gutter - 4:g}" class="leader" fill="none" '
            f'stroke="{color}" stroke-opacity="0.35" stroke-dasharray="1 3"/>'
            f'<text x="{gutter:g}" y="{y + 4}" class="edge-label" fill="{color}"{weight}>'
            f"<title>{html_text(edge.label)}</title>{html_text(_short(edge.label, LABEL_CHARS))}"
            "</text></g>"
        )
    return parts
