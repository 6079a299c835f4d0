"""Differential test: every fixture manifest gives identical findings on regopy, OPA's Wasm build
(wasmtime) and a real OPA server."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT, evaluate_file

MANIFESTS = sorted(
    [*FIXTURES.rglob("*.yaml"), ROOT / "tests" / "data" / "example-manifest.yaml"],
)


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_engines_agree(path: Path, embedded_engine, wasm_engine, opa_engine, policy_set) -> None:  # type: ignore[no-untyped-def]
    embedded = evaluate_file(embedded_engine, policy_set, path)
    wasm = evaluate_file(wasm_engine, policy_set, path)
    real = evaluate_file(opa_engine, policy_set, path)
    assert embedded == real
    assert wasm == real
