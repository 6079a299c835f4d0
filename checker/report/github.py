"""`--format github`: GitHub Actions workflow commands that annotate the manifest lines.

`::error file=F,line=L,col=C,title=RULE-ID::message` per failing finding (`warning` and
`notice` for lower severities) and per input or evaluation problem. F is the path from the
repository root, as GitHub matches it to a pull request's files (`./deploy/x.yaml` would
match none). Escaping follows the
Actions toolkit (`@actions/core` command.ts): in the message `%`, CR and LF; in
properties also `:` and `,`, which would otherwise end the property.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import partial

from checker.model import Finding, Problem, Report
from checker.report.common import GITHUB_COMMAND, subject_text
from checker.report.interface import Renderer, RenderOptions
from checker.report.repository_paths import RepositoryPaths
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


def _finding_line(finding: Finding, paths: RepositoryPaths) -> str:
    message = (
        f"{finding.title}: {finding.message} ({subject_text(finding)}, {finding.deployment}; "
        f"basis: {finding.basis})\n"
        f"Citation: {finding.citation}\nFix: {finding.remediation}"
    )
    return command(
        GITHUB_COMMAND[finding.severity],
        message,
        file=paths.shown(finding.manifest),
        line=finding.line,
        col=finding.column if finding.line else 0,
        title=finding.rule_id,
    )


def _problem_line(problem: Problem, paths: RepositoryPaths) -> str:
    title = "tdcheck: invalid input" if problem.kind == "input" else "tdcheck: not evaluated"
    return command(
        "error",
        problem.message,
        file=paths.shown(problem.source),
        line=problem.line,
        col=problem.column if problem.line else 0,
        title=title,
    )


def _file_lines(findings: Sequence[Finding], paths: RepositoryPaths) -> str:
    return "".join(_finding_line(f, paths) + "\n" for f in findings if f.failed)


class GithubRenderer(Renderer):
    name = "github"

    def chunks(self, report: Report, options: RenderOptions) -> Iterator[str]:
        paths = RepositoryPaths.here()
        for problem in report.problems:
            yield _problem_line(problem, paths) + "\n"
        # A file's annotations depend on its findings and where the run stands in the
        # repository: the result cache keeps them under this view.
        view = f"github/2 {paths.root} {paths.cwd}"
        yield from report.file_blocks(view, partial(_file_lines, paths=paths))
