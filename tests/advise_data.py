"""Shared by the advise tests: one cached advise run per (paths, engine), the bench generator.

Test modules import this as `tests.advise_data`, so the cache is shared between them.
"""

from __future__ import annotations

import importlib.util
import json
from functools import cache
from typing import Any

from tests.conftest import FIXTURES, ROOT, run_cli

AS_OF = "2026-11-28"
SCENARIO_DIRS = (str(FIXTURES / "examples"), str(FIXTURES / "violations"))


@cache
def advice(*paths: str, engine: str = "embedded") -> dict[str, Any]:
    """One advise run (JSON) over the paths. Read it, do not change it: it is shared."""
    result = run_cli("advise", *paths, "-f", "json", "--engine", engine, "--as-of", AS_OF, "-q")
    assert result.code in (0, 1), result.err
    value: dict[str, Any] = json.loads(result.out)
    return value


@cache
def bench() -> Any:
    """bench/advise_bench.py, for generate_manifest (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location("advise_bench", ROOT / "bench/advise_bench.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
