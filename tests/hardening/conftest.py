"""Fixtures of the hardening tests: manifests on disk, the tdcheck bundle, openssl."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import require_tool
from tests.hardening.servers import tdcheck_bundle
from tests.test_cli import CLEAN, PHI_ABROAD


@pytest.fixture
def manifests(tmp_path: Path) -> list[str]:
    """Four valid manifests with distinct names: two that pass, two that fail (exit 1)."""
    paths = []
    for i, text in enumerate((CLEAN, PHI_ABROAD, CLEAN, PHI_ABROAD)):
        path = tmp_path / f"m{i}.yaml"
        path.write_text(text.replace("name: phi-", f"name: m{i}-phi-"))
        paths.append(str(path))
    return paths


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory, opa_binary: str) -> Path:
    return tdcheck_bundle(tmp_path_factory.mktemp("bundle"))


@pytest.fixture(scope="session")
def openssl() -> str:
    return require_tool("openssl")
