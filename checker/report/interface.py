"""The renderer seam: a frozen Report in, text out, written as it is produced.

A renderer yields its text in pieces (`chunks`), file by file and finding by finding, so a
report of 10,000 manifests never exists as one string: `write` sends the pieces to a
stream in blocks; `render` joins them (tests, small reports).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from checker.model import Report

_BLOCK = 1 << 16  # characters gathered before each write: few calls, little memory


@dataclass(frozen=True, slots=True)
class RenderOptions:
    color: bool = False
    show_passed: bool = False
    verbose: bool = False
    quiet: bool = False  # text: errors, failing findings and the summary line only
    # SARIF: keep waived findings as suppressed results (GitHub code scanning ignores
    # `suppressions`: they would be open alerts there), and the most results one run holds.
    sarif_include_waived: bool = False
    sarif_max_results: int = 0  # 0: no limit


class Renderer(ABC):
    name: str

    @abstractmethod
    def chunks(self, report: Report, options: RenderOptions) -> Iterator[str]:
        """The report's text, in order, in pieces of any size."""

    def write(self, report: Report, options: RenderOptions, stream: IO[str]) -> None:
        pending: list[str] = []
        size = 0
        for chunk in self.chunks(report, options):
            pending.append(chunk)
            size += len(chunk)
            if size >= _BLOCK:
                stream.write("".join(pending))
                pending.clear()
                size = 0
        if pending:
            stream.write("".join(pending))

    def render(self, report: Report, options: RenderOptions) -> str:
        return "".join(self.chunks(report, options))
