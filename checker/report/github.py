"""`--format github`: GitHub Actions workflow commands that annotate the manifest lines.

`::error file=F,line=L,col=C,title=RULE-ID::message` per failing finding (`warning` and
`notice` for lower severities) and per input or evaluation problem. Escaping follows the
Actions toolkit (`@actions/core` command.ts): in the message `%`, CR and LF; in
properties also `:` and `,`, which would otherwise end the property.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from checker.model import Finding, Problem, Report
from checker.report.common import GITHUB_COMMAND, subject_text
from checker.report.interface import Renderer, RenderOptions
from checker.textsafe import escape_controls


def escape_data(text: str) -> str:
    # Other control characters would reach the log raw (ESC starts terminal sequences).
    text = escape_controls(text, keep="\r\n").replace("##[", "##\\x5b")
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties: str | int) -> str:
    props = ",".join(
        f"{key}={escape_property(str(value))}" for key, value in properties.items() if value
    )
    head = f"{name} {props}" if props else name
    return f"::{head}::{escape_data(message)}"


def _finding_line(finding: Finding) -> str:
    message = (
        f"{finding.title}: {finding.message} ({subject_text(finding)}, {finding.deployment}; "
        f"basis: {finding.basis})\n"
        f"Citation: {finding.citation}\nFix: {finding.remediation}"
    )
    return command(
        GITHUB_COMMAND[finding.severity],
        message,
        file=finding.manifest,
        line=finding.line,
        col=finding.column if finding.line else 0,
        title=finding.rule_id,
    )


def _problem_line(problem: Problem) -> str:
    title = "tdcheck: invalid input" if problem.kind == "input" else "tdcheck: not evaluated"
    return command(
        "error",
        problem.message,
        file=problem.source,
        line=problem.line,
        col=problem.column if problem.line else 0,
        title=title,
    )


# A file's annotations depend on its findings alone: the result cache keeps them by this name.
_VIEW = "github/1"


def _file_lines(findings: Sequence[Finding]) -> str:
    return "".join(_finding_line(f) + "\n" for f in findings if f.failed)


class GithubRenderer(Renderer):
    name = "github"

    def chunks(self, report: Report, options: RenderOptions) -> Iterator[str]:
        for problem in report.problems:
            yield _problem_line(problem) + "\n"
        yield from report.file_blocks(_VIEW, _file_lines)
