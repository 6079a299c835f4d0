"""`--format text`: grouped by manifest, then stage and location; failures first."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import partial
from itertools import groupby

from checker.model import Finding, Report, Waiver
from checker.report.interface import Renderer, RenderOptions
from checker.textsafe import inline

_COLORS = {"fail": "\033[31m", "pass": "\033[32m", "waived": "\033[33m", "dim": "\033[2m"}
_RESET = "\033[0m"


def _paint(text: str, tone: str, options: RenderOptions) -> str:
    return f"{_COLORS[tone]}{text}{_RESET}" if options.color else text


def _subject(finding: Finding) -> str:
    if finding.subject == "stage":
        return f"stage {finding.stage} at {finding.location}"
    if finding.subject == "location":
        return f"location {finding.location}"
    transfer = finding.transfer
    assert transfer is not None
    return f"movement {transfer.source} -> {transfer.target} ({', '.join(transfer.datasets)})"


def _group_key(finding: Finding) -> tuple[int, str]:
    order = {"stage": 0, "location": 1, "movement": 2}[finding.subject]
    return order, _subject(finding)


def _waiver_text(waiver: Waiver) -> str:
    return (
        f"waived by {waiver.source}:{waiver.line} until {waiver.expires} "
        f"(approved by {waiver.approved_by}): {waiver.reason}"
    )


def summary_line(report: Report) -> str:
    counts = report.counts()
    failed = counts["failed_by_severity"]
    status = counts["by_status"]
    parts = [
        f"{report.manifests_valid + report.manifests_invalid} manifest(s)",
        f"{report.manifests_invalid} invalid",
        f"{status['fail']} failed ({failed['error']} error, {failed['warning']} warning, "
        f"{failed['advisory']} advisory)",
        f"{status['waived']} waived",
        f"{status['pass']} passed",
    ]
    unreadable = sum(1 for item in report.inputs if item.errors and not item.deployments)
    if unreadable:
        parts.insert(2, f"{unreadable} input(s) unreadable or without a manifest")
    unevaluated = sum(1 for p in report.problems if p.kind == "evaluation")
    if unevaluated:
        parts.append(f"{unevaluated} NOT EVALUATED")
    return "tdcheck: " + ", ".join(parts) + f" [engine {report.engine.name}]"


def _shown(finding: Finding, options: RenderOptions) -> bool:
    if options.quiet:
        return finding.status == "fail"
    return options.show_passed or finding.status != "pass"


ASSERTED_LEGEND = (
    "PASS*: the manifest fact that decided the pass is only asserted; no provider "
    "catalogue entry or evidence verified it"
)


_ASSERTED = "*"  # first character of a block showing a pass only the manifest asserts


def _file_block(findings: Sequence[Finding], options: RenderOptions) -> str:
    """A flag character (_ASSERTED or a space), then the file's shown findings grouped by
    deployment, subject and status; a blank line between deployments."""
    asserted_pass = False
    blocks = []
    shown = (f for f in findings if _shown(f, options))
    for (manifest, deployment), group in groupby(shown, key=lambda f: (f.manifest, f.deployment)):
        # Data is escaped piece by piece (not whole lines): the colours are ESC sequences.
        lines = [inline(f"{manifest} ({deployment})")]
        ordered = sorted(group, key=lambda f: (_group_key(f), f.status != "fail", f.rule_id))
        for (_, subject), items in groupby(ordered, key=_group_key):
            lines.append(f"  {inline(subject)}")
            for f in items:
                # A pass resting only on the manifest's word is marked (legend below).
                mark = "*" if f.status == "pass" and f.basis == "asserted" else ""
                asserted_pass = asserted_pass or bool(mark)
                status = _paint(f"{f.status.upper() + mark:6}", f.status, options)
                lines.append(
                    f"    {status} {inline(f'{f.rule_id} [{f.severity.value}] {f.message}')} "
                    + _paint(inline(f"({f.manifest}:{f.line}:{f.column})"), "dim", options)
                )
                if f.status == "fail" and options.verbose:
                    lines.append(inline(f"           fix: {f.remediation} [{f.citation}]"))
                if f.waiver is not None:
                    lines.append(f"           {inline(_waiver_text(f.waiver))}")
        blocks.append("".join(line + "\n" for line in lines))
    return (_ASSERTED if asserted_pass else " ") + "\n".join(blocks)


class TextRenderer(Renderer):
    name = "text"

    def chunks(self, report: Report, options: RenderOptions) -> Iterator[str]:
        """One line at a time; a blank line between blocks, none before the first."""
        wrote = False
        for p in report.problems:
            yield _paint("error", "fail", options) + f" {p.one_line()}\n"
            wrote = True
        asserted_pass = False
        # Each file's block is a function of its findings and these options alone, so a
        # store of earlier runs' blocks (the result cache) can answer it unrendered.
        view = (
            f"text/1 color={options.color:d} passed={options.show_passed:d} "
            f"verbose={options.verbose:d} quiet={options.quiet:d}"
        )
        for block in report.file_blocks(view, partial(_file_block, options=options)):
            if len(block) > 1:  # more than the flag: something of the file is shown
                asserted_pass = asserted_pass or block[0] == _ASSERTED
                yield ("\n" if wrote else "") + block[1:]
                wrote = True
        for waiver in () if options.quiet else report.unused_waivers:
            yield (
                f"notice: waiver {inline(waiver.rule)} ({inline(waiver.source)}:{waiver.line}) "
                "matches no failing finding in this run; remove it if the finding was fixed\n"
            )
            wrote = True
        if asserted_pass:
            yield f"\n{ASSERTED_LEGEND}\n"
        if wrote:
            yield "\n"
        yield summary_line(report) + "\n"
