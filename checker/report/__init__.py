"""Report formats: one module each, one line in RENDERERS ("module:Class").

A run renders one format: the others are imported only when asked for (the pre-commit path
should not pay for the HTML report). `RENDERERS[name]` imports and instantiates on first
use; iterating gives the names, `.values()` every renderer.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping

from checker.report.interface import Renderer, RenderOptions
from checker.report.text import summary_line


class LazyRegistry(Mapping[str, Renderer]):
    def __init__(self, targets: Mapping[str, str]) -> None:
        self._targets = dict(targets)
        self._loaded: dict[str, Renderer] = {}

    def __getitem__(self, name: str) -> Renderer:
        if name not in self._loaded:
            module, _, attribute = self._targets[name].partition(":")
            self._loaded[name] = getattr(importlib.import_module(module), attribute)()
        return self._loaded[name]

    def __contains__(self, name: object) -> bool:  # without importing the renderer
        return name in self._targets

    def __iter__(self) -> Iterator[str]:
        return iter(self._targets)

    def __len__(self) -> int:
        return len(self._targets)


RENDERERS: Mapping[str, Renderer] = LazyRegistry(
    {
        "text": "checker.report.text:TextRenderer",
        "json": "checker.report.json_report:JsonRenderer",
        "sarif": "checker.report.sarif:SarifRenderer",
        "junit": "checker.report.junit:JunitRenderer",
        "github": "checker.report.github:GithubRenderer",
        "markdown": "checker.report.markdown:MarkdownRenderer",
        "html": "checker.report.html:HtmlRenderer",
    }
)

__all__ = ["RENDERERS", "RenderOptions", "Renderer", "summary_line"]
