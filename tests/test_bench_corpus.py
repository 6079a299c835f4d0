"""The benchmark's corpus is valid, reproducible and covers every data class (bench/generate.py).

A benchmark on invalid manifests would time error reporting, not evaluation.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import ROOT, run_cli


def _generate() -> Any:
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench/generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_corpus_is_valid_and_covers_every_class(tmp_path: Path) -> None:
    paths = _generate().write_corpus(tmp_path, 30, seed=1)
    result = run_cli("validate", "-f", "json", str(tmp_path))
    assert result.code == 0, result.err
    classes: set[str] = set()
    stage_counts = []
    for path in paths:
        spec = yaml.safe_load(path.read_text())["spec"]
        classes |= {c for d in spec["datasets"] for c in d["classifications"]}
        stage_counts.append(len(spec["stages"]))
    assert classes == {"public", "internal", "pii", "phi", "cui", "itar", "ear", "eu_personal"}
    assert min(stage_counts) >= 3 and max(stage_counts) <= 30


def test_file_i_depends_only_on_seed_and_i(tmp_path: Path) -> None:
    generate = _generate()
    small = generate.write_corpus(tmp_path / "small", 3, seed=7)
    large = generate.write_corpus(tmp_path / "large", 10, seed=7)
    other = generate.write_corpus(tmp_path / "other", 3, seed=8)
    assert [p.read_text() for p in small] == [p.read_text() for p in large[:3]]
    assert [p.read_text() for p in small] != [p.read_text() for p in other]
