"""Report formats: one module each, one line in RENDERERS."""

from __future__ import annotations

from checker.report.github import GithubRenderer
from checker.report.html import HtmlRenderer
from checker.report.interface import Renderer, RenderOptions
from checker.report.json_report import JsonRenderer
from checker.report.junit import JunitRenderer
from checker.report.markdown import MarkdownRenderer
from checker.report.sarif import SarifRenderer
from checker.report.text import TextRenderer, summary_line

RENDERERS: dict[str, Renderer] = {
    "text": TextRenderer(),
    "json": JsonRenderer(),
    "sarif": SarifRenderer(),
    "junit": JunitRenderer(),
    "github": GithubRenderer(),
    "markdown": MarkdownRenderer(),
    "html": HtmlRenderer(),
}

__all__ = ["RENDERERS", "RenderOptions", "Renderer", "summary_line"]
