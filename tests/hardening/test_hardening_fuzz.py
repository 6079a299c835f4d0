"""Fuzzing the whole pipeline: valid manifests (tests/strategies.py), mutated, as YAML or JSON
bytes, through checker.run.execute and every renderer. The only outcomes allowed are a
report or clean input errors: no exception, no engine failure on an input the validators
accepted, every problem one line naming the input.

TDCHECK_FUZZ_EXAMPLES sets the examples of the mutation fuzzer (CI: 2000, 1-2 minutes on 2 cores;
nightly: 50000); the byte-level fuzzer through the CLI runs a quarter of that.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker import run
from checker.engine import ENGINES, EngineOptions
from checker.engine.isolation import IsolatedEngine
from checker.model import Report
from checker.report import RENDERERS, RenderOptions
from tests.conftest import run_cli
from tests.strategies import manifests, value_paths

EXAMPLES = int(os.environ.get("TDCHECK_FUZZ_EXAMPLES", "2000"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Values people and tools actually put where they do not belong.
AWKWARD = st.sampled_from(
    ["", "NO", "yes", "on", "0755", "1:20", "~", "null", "2024-01-01", "1e400", ".nan",
     "\u202eevil", "\ud800", "\x00", "a\nb", "../../etc/passwd", "$(touch /tmp/x)", "*a",
     "&a", "!!python/object:os.system", "{{7*7}}", "<script>", "'", '"', "\\"],
)  # fmt: skip
LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**300), max_value=10**300),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    AWKWARD,
)
ANY_VALUE = st.recursive(
    LEAF,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=6,
)


def _parent(value: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        value = value[part]
    return value


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    """(file name, bytes): a valid manifest with one or two structural or textual mutations."""
    value = draw(manifests(max_stages=2))
    for _ in range(draw(st.sampled_from([0, 1, 1, 2, 3]))):
        paths = [p for p in value_paths(value) if p]
        path = draw(st.sampled_from(paths))
        parent = _parent(value, path)
        action = draw(st.sampled_from(["replace", "delete", "add", "wrap"]))
        if action == "replace":
            parent[path[-1]] = draw(ANY_VALUE)
        elif action == "delete":
            del parent[path[-1]]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.text(max_size=8))] = draw(ANY_VALUE)
        elif action == "wrap":
            parent[path[-1]] = [parent[path[-1]]]
    name = draw(st.sampled_from(["fuzz.yaml", "fuzz.json"]))
    if name.endswith(".json"):
        text = json.dumps(
            value, ensure_ascii=draw(st.booleans()), indent=draw(st.sampled_from([None, 1]))
        )
    else:
        text = yaml.safe_dump(value, allow_unicode=draw(st.booleans()), sort_keys=False)
    data = text.encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 4)) == 0:  # a textual mutation: a splice of random bytes
        at = draw(st.integers(0, len(data)))
        cut = draw(st.integers(0, 8))
        data = data[:at] + draw(st.binary(max_size=8)) + data[at + cut :]
    return name, data


class SharedEngine:
    """One contained embedded engine for the whole module: compiling per example is slow."""

    def __init__(self, engine: IsolatedEngine) -> None:
        self.engine = engine
        self.name = engine.name

    def version(self) -> str:
        return self.engine.version()

    def evaluate(self, documents: Any) -> Any:
        return self.engine.evaluate(documents)

    def close(self) -> None:
        pass


@pytest.fixture(scope="module")
def shared_engine(policy_set):  # type: ignore[no-untyped-def]
    engine = IsolatedEngine(ENGINES["embedded"], policy_set, EngineOptions(timeout_s=60))
    yield SharedEngine(engine)
    engine.close()


def assert_clean(report: Report, source: str) -> None:
    for problem in report.problems:
        line = problem.one_line()
        assert problem.kind == "input", f"an accepted input was not evaluated: {line}"
        assert line.startswith(source), line
        assert "\n" not in line and "Traceback" not in line, line
    for renderer in RENDERERS.values():
        renderer.render(report, RenderOptions(show_passed=True, verbose=True))
    assert report.exit_code() in (0, 1, 2)


def test_mutated_manifests_give_a_report_or_clean_input_errors(
    shared_engine: SharedEngine, policy_set, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(run, "load_policy_set", lambda *_args: policy_set)
    monkeypatch.setattr(run, "create_engine", lambda *_args: shared_engine)

    @FUZZ
    @given(mutated())
    def fuzz(case: tuple[str, bytes]) -> None:
        name, data = case
        path = tmp_path / name
        path.write_bytes(data)
        options = run.RunOptions(paths=(str(path),), as_of="2026-06-01", engine="embedded")
        assert_clean(run.execute(options), str(path))

    fuzz()


@settings(FUZZ, max_examples=max(1, EXAMPLES // 4))
@given(st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)))
def test_random_bytes_on_stdin_are_a_clean_input_error(data: bytes) -> None:
    result = run_cli("validate", "-f", "json", "-", stdin=data)
    assert result.code in (0, 2), result.err
    assert "Traceback" not in result.err and "internal error" not in result.err
    for line in result.err.splitlines():
        assert line.startswith(("error: -", "notice: ", "tdcheck: ")), line
