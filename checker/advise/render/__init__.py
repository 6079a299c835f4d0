"""Advice formats: one module each, one line in RENDERERS."""

from __future__ import annotations

from typing import Protocol

from checker.advise.model import AdviceReport
from checker.advise.render.json_format import JsonAdvice
from checker.advise.render.markdown import MarkdownAdvice
from checker.advise.render.text import TextAdvice


class AdviceRenderer(Protocol):
    name: str

    def render(self, report: AdviceReport, verbose: bool) -> str: ...


RENDERERS: dict[str, AdviceRenderer] = {
    "text": TextAdvice(),
    "json": JsonAdvice(),
    "markdown": MarkdownAdvice(),
}

__all__ = ["RENDERERS", "AdviceRenderer"]
