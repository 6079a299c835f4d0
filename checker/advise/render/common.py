"""What the text and Markdown views of advice share: cell tokens and one-line findings."""

from __future__ import annotations

from checker.advise.model import ALLOWED, BLOCKED, ManifestAdvice, Placement, Summary
from checker.model import Finding

CATEGORY_NAMES = {"cloud": "cloud", "on_premises": "on premises", "air_gapped": "air-gapped"}
KEY = (
    "ok allowed; xfer allowed once the transfers it implies are declared as the rules ask; "
    "NO n blocked by n rules; * where it runs now; ! warnings; + advisory findings"
)


def cell(p: Placement) -> str:
    if p.verdict == ALLOWED:
        token = "ok"
    elif p.verdict == BLOCKED:
        token = f"NO {len({f.rule_id for f in p.blocking})}"
    else:
        token = "xfer"
    marks = ("*" if p.current else "") + ("!" if p.warnings else "") + ("+" if p.advisories else "")
    return token + marks


def subject(f: Finding) -> str:
    if f.transfer is not None:
        datasets = ", ".join(f.transfer.datasets)
        return f"{datasets} {f.transfer.source} -> {f.transfer.target}"
    return f"location {f.location}" if f.subject == "location" else f"at {f.location}"


def advice_status(f: Finding) -> str:
    return "[advice]" if f.failed else "[no advice]"


def rule_list(findings: tuple[Finding, ...]) -> str:
    return ", ".join(dict.fromkeys(f.rule_id for f in findings))


def thresholds_text(summary: Summary) -> str:
    values = dict(summary.thresholds)
    parts = []
    if "breakeven_utilization_pct" in values:
        parts.append(f"break-even {values['breakeven_utilization_pct']:g}% utilisation")
    if "large_model_parameters_b" in values:
        parts.append(f"large model from {values['large_model_parameters_b']:g}B parameters")
    if "min_pretraining_accelerators" in values:
        parts.append(f"{values['min_pretraining_accelerators']:g} accelerators for it")
    return "; ".join(parts)


def architecture_lines(m: ManifestAdvice) -> list[str]:
    """Plain sentences, shared by text (indented) and Markdown (as list items)."""
    s = m.summary
    used = ", ".join(
        f"{loc} ({CATEGORY_NAMES[m.location(loc).category]})" for loc in s.used_locations
    )
    lines = [f"architecture: {CATEGORY_NAMES.get(s.architecture, s.architecture)} (runs at {used})"]
    stages = len(m.stages)
    for option in s.options:
        if not option.locations:
            continue
        name = CATEGORY_NAMES[option.category]
        if option.possible:
            # Only the locations that make it possible; each other one says what it blocks.
            enabling = option.open_locations or tuple(
                loc for loc in option.locations if len(dict(option.blocks)[loc]) < stages
            )
            line = f"all {name}: possible ({', '.join(enabling)})"
            for location, blocked in option.blocks:
                line += f"; {location} blocks {', '.join(blocked)}"
            lines.append(line)
        else:
            kept = ", ".join(option.stages_kept_out)
            lines.append(f"all {name}: not possible (no {name} location open to {kept})")
    if s.forced_by:
        lines.append(f"forced by: {', '.join(s.forced_by)}")
    for c in s.constraints:
        kept = ", ".join(CATEGORY_NAMES[x] for x in c.kept_out_of)
        why = f" by {', '.join(c.frameworks)} ({', '.join(c.rules)})" if c.rules else ""
        if c.open_categories:
            where = ", ".join(CATEGORY_NAMES[x] for x in c.open_categories)
            lines.append(f"{c.stage}: only {where}; kept out of {kept}{why}")
        else:
            lines.append(f"{c.stage}: no declared location is open to it; blocked{why}")
    if not s.constraints:
        lines.append("forced by: nothing; every stage has an open location of every declared kind")
    return lines
