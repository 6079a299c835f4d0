"""The renderer seam: a frozen Report in, text out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from checker.model import Report


@dataclass(frozen=True, slots=True)
class RenderOptions:
    color: bool = False
    show_passed: bool = False
    verbose: bool = False


class Renderer(Protocol):
    name: str

    def render(self, report: Report, options: RenderOptions) -> str: ...
