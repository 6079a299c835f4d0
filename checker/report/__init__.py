"""Report formats: one module each, one line in RENDERERS."""

from __future__ import annotations

from checker.report.interface import Renderer, RenderOptions
from checker.report.json_report import JsonRenderer
from checker.report.text import TextRenderer, summary_line

RENDERERS: dict[str, Renderer] = {
    "text": TextRenderer(),
    "json": JsonRenderer(),
}

__all__ = ["RENDERERS", "RenderOptions", "Renderer", "summary_line"]
