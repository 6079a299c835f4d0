"""Shared test helpers. Tools (opa) skip with a reason when absent, unless CI requires them."""

from __future__ import annotations

import io
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from checker.cli import main

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"


# tools/setup (and so .ci/run) builds the pinned opa, conftest and regal here: the tests
# use them, and so do the tdcheck processes they start (--engine opa looks on PATH).
GO_BIN = ROOT / ".venv" / "go-bin"
if GO_BIN.is_dir():
    os.environ["PATH"] = f"{GO_BIN}{os.pathsep}{os.environ.get('PATH', '')}"


def require_tool(name: str) -> str:
    """The tool's path, or a skip with the reason (a failure under TDCHECK_REQUIRE_TOOLS=1)."""
    found = shutil.which(name) or _go_bin(name)
    if found:
        return found
    reason = f"{name} is not on PATH nor in .venv/go-bin (run tools/setup)"
    if os.environ.get("TDCHECK_REQUIRE_TOOLS") == "1":
        pytest.fail(f"TDCHECK_REQUIRE_TOOLS=1 but {reason}")
    pytest.skip(reason)


def _go_bin(name: str) -> str | None:
    """Where tools/setup puts the pinned tools, then where a plain `go install` does."""
    gopath = Path(os.environ.get("GOPATH", Path.home() / "go"))
    for directory in (GO_BIN, gopath / "bin"):
        if (directory / name).is_file():
            return str(directory / name)
    return None


@pytest.fixture(scope="session", autouse=True)
def _policy_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The embedded engine caches compiled policies (checker/engine/policy_cache.py): in a
    directory of this test session (shared by its subprocesses), not the user's cache."""
    saved = os.environ.get("TDCHECK_CACHE_DIR")
    os.environ["TDCHECK_CACHE_DIR"] = str(tmp_path_factory.mktemp("policy-cache"))
    yield
    if saved is None:
        os.environ.pop("TDCHECK_CACHE_DIR", None)
    else:
        os.environ["TDCHECK_CACHE_DIR"] = saved


@pytest.fixture(autouse=True)
def _result_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Each test's in-process runs keep results in a cache of their own (checker/cache/):
    a test that injects an engine fault must not be answered from another test's run."""
    from checker.cache import store

    directory = tmp_path_factory.mktemp("results")
    monkeypatch.setattr(store, "result_dir", lambda environ=None: directory)


@pytest.fixture(scope="session")
def opa_binary() -> Iterator[str]:
    path = require_tool("opa")
    os.environ["PATH"] = f"{Path(path).parent}{os.pathsep}{os.environ['PATH']}"
    yield path


@dataclass
class CliResult:
    code: int
    out: str
    err: str


def run_cli(*argv: str, stdin: bytes = b"") -> CliResult:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err, stdin=io.BytesIO(stdin))
    return CliResult(code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="session")
def policy_set():  # type: ignore[no-untyped-def]
    from checker.policy import load_policy_set

    return load_policy_set()


@pytest.fixture(scope="session")
def embedded_engine(policy_set):  # type: ignore[no-untyped-def]
    from checker.engine import EngineOptions, create_engine

    engine = create_engine("embedded", policy_set, EngineOptions())
    yield engine
    engine.close()


@pytest.fixture(scope="session")
def wasm_engine(policy_set):  # type: ignore[no-untyped-def]
    from checker.engine import EngineOptions, create_engine

    engine = create_engine("wasm", policy_set, EngineOptions())
    yield engine
    engine.close()


@pytest.fixture(scope="session")
def opa_engine(policy_set, opa_binary):  # type: ignore[no-untyped-def]
    from checker.engine import EngineOptions, create_engine

    engine = create_engine("opa", policy_set, EngineOptions())
    yield engine
    engine.close()


def evaluate_file(engine, policy_set, path: Path, as_of: str = "2026-11-28"):  # type: ignore[no-untyped-def]
    """Findings of every manifest in one file, as comparable JSON-ready dicts."""
    from checker.evidence import bind_evidence
    from checker.findings import to_finding
    from checker.loader import load_path
    from checker.report.json_report import finding_dict
    from checker.run import _engine_input
    from checker.validate import validate_document

    loaded = load_path(path, path.relative_to(ROOT).as_posix())
    assert not loaded.errors, [e.one_line() for e in loaded.errors]
    docs = list(loaded.documents)
    for n, doc in enumerate(docs):
        problems = validate_document(doc)
        assert not problems, [e.one_line() for e in problems]
        bound = bind_evidence(doc, path)
        assert not bound.errors, [e.one_line() for e in bound.errors]
        docs[n] = replace(doc, evidence=bound.locations)
    results = engine.evaluate([_engine_input(doc, as_of) for doc in docs])
    catalogue = {m.rule_id: m for m in policy_set.rules}
    findings = []
    for doc, result in zip(docs, results, strict=True):
        assert result.error is None, result.error
        findings += [finding_dict(to_finding(raw, doc, catalogue)) for raw in result.findings]
    return sorted(findings, key=lambda f: json.dumps(f, sort_keys=True))
