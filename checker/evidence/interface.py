"""The seam between Terraform formats and the binding: one reader per format."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from checker.evidence.facts import TerraformModule


class TerraformReader(Protocol):
    """Reads one root module directory or plan file into resource facts, offline.

    Raises `EvidenceError` (with the Terraform file's line where known) for a file that
    cannot be parsed; never runs Terraform, never touches the network.
    """

    def read(self, path: Path, display: str) -> TerraformModule: ...
