"""Crash containment: an engine that aborts, segfaults or hangs costs the manifest it was on,
never the report of the others, and the run exits 3 with a message."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from checker.engine.interface import EngineOptions, Evaluation
from checker.engine.isolation import IsolatedEngine
from checker.errors import PolicyError
from tests.conftest import run_cli
from tests.hardening import crashers
from tests.test_cli import CLEAN


def bounded(work: Callable[[], Any]) -> Any:
    """Run `work` in a thread; a guard (not a measurement) so a missing timeout fails."""
    box: list[Any] = []
    runner = threading.Thread(target=lambda: box.append(work()), daemon=True)
    runner.start()
    runner.join(timeout=120)
    assert box, "evaluation did not finish: the timeout did not fire"
    return box[0]


def evaluate(actions: list[str], timeout: float = 30.0, **kw: Any) -> list[Evaluation]:
    engine = IsolatedEngine(
        crashers.misbehaving, crashers.EMPTY_POLICY, EngineOptions(timeout_s=timeout), **kw
    )
    try:
        docs = [{"n": n, "action": action} for n, action in enumerate(actions)]
        results: list[Evaluation] = bounded(lambda: engine.evaluate(docs))
        return results
    finally:
        engine.close()


def outcome(result: Evaluation) -> object:
    return result.error if result.error else result.findings[0]["n"]


def test_a_crash_costs_only_the_document_it_was_on() -> None:
    results = evaluate(["ok", "abort", "ok", "segfault", "exit", "ok"])
    assert [outcome(r) for r in (results[0], results[2], results[5])] == [0, 2, 5]
    assert "crashed (SIGABRT) evaluating this manifest" in str(results[1].error)
    assert "crashed (SIGSEGV) evaluating this manifest" in str(results[3].error)
    assert "exited (code 7) evaluating this manifest" in str(results[4].error)


def test_a_hang_is_stopped_at_the_timeout_and_the_rest_carry_on() -> None:
    results = evaluate(["ok", "hang", "ok"], timeout=1.0)
    assert [outcome(r) for r in (results[0], results[2])] == [0, 2]
    assert "took longer than 1s (--timeout); the engine worker was stopped" in str(results[1].error)


def test_after_three_failures_in_a_row_the_rest_are_skipped_not_tried() -> None:
    results = evaluate(["abort", "abort", "abort", "ok", "ok"])
    assert all("crashed (SIGABRT)" in str(r.error) for r in results[:3])
    assert all("skipped after the engine failed on 3 manifests in a row" in str(r.error)
               for r in results[3:])  # fmt: skip


def test_a_success_resets_the_count_of_failures() -> None:
    results = evaluate(["abort", "abort", "ok", "abort", "abort", "ok"])
    assert [r.error is None for r in results] == [False, False, True, False, False, True]


def test_a_failing_batch_is_retried_one_document_at_a_time() -> None:
    results = evaluate(["ok", "ok", "abort", "ok", "ok", "ok", "ok"], batch=3)
    assert [r.error is None for r in results] == [True, True, False, True, True, True, True]


def test_parallel_workers_keep_the_order_and_survive_a_crash() -> None:
    actions = ["ok"] * 9 + ["abort"] + ["ok"] * 6
    results = evaluate(actions, workers=2)
    assert [outcome(r) for r in results if r.error is None] == [
        n for n, a in enumerate(actions) if a == "ok"
    ]
    assert len({r.findings[0]["pid"] for r in results if r.error is None}) >= 2


def test_engine_errors_and_bugs_in_evaluate_are_one_line_errors() -> None:
    results = evaluate(["raise", "bug", "ok"])
    assert results[0].error == "the engine gave up on this batch"
    assert results[1].error == "KeyError: 'surprise'"
    assert outcome(results[2]) == 2


def test_native_output_never_reaches_the_report_stream(capfd: pytest.CaptureFixture[str]) -> None:
    results = evaluate(["print", "ok"])
    assert [outcome(r) for r in results] == [0, 1]
    assert "native noise" not in capfd.readouterr().out


ORPHAN = """\
import sys
from checker.engine.interface import EngineOptions
from checker.engine.isolation import IsolatedEngine
from tests.hardening import crashers

if __name__ == "__main__":
    engine = IsolatedEngine(crashers.misbehaving, crashers.EMPTY_POLICY, EngineOptions())
    print(engine.version(), flush=True)
    engine.evaluate([{"n": 0, "action": "hang"}])
"""


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="reads /proc")
def test_a_worker_stuck_in_native_code_ends_when_its_parent_is_killed(tmp_path: Path) -> None:
    script = tmp_path / "orphan.py"
    script.write_text(ORPHAN)
    parent = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, text=True, cwd=Path.cwd(),
        env={**os.environ, "PYTHONPATH": str(Path.cwd())},
    )  # fmt: skip
    assert parent.stdout is not None
    worker = int(parent.stdout.readline().split()[1])
    parent.kill()  # SIGKILL: no cleanup runs in the parent
    parent.wait()
    for _ in range(300):  # a guard of 30 s, not a measurement
        if not Path(f"/proc/{worker}").exists() or "zombie" in _state(worker):
            break
        time.sleep(0.1)
    else:
        os.kill(worker, signal.SIGKILL)
        pytest.fail("the worker outlived its killed parent")


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().lower()
    except OSError:
        return "zombie"


def test_a_crash_while_compiling_is_a_policy_error_with_the_engine_last_words() -> None:
    with pytest.raises(PolicyError) as caught:
        IsolatedEngine(crashers.aborts_at_start, crashers.EMPTY_POLICY, EngineOptions())
    message = str(caught.value)
    assert "crashed (SIGABRT) while compiling the policies" in message
    assert "std::runtime_error" in message


def test_an_error_while_compiling_keeps_its_kind_and_message() -> None:
    with pytest.raises(PolicyError, match="policy1/org.rego:3:1: this is unclosed"):
        IsolatedEngine(crashers.refuses_the_policy, crashers.EMPTY_POLICY, EngineOptions())


# Real regopy defects, through the CLI.

WITH_INPUT = """\
package tdcheck.rules.org_with_input

import rego.v1

helper := upper(input.s)

findings := {x | x := helper with input as {"s": "a"}; false}
"""

HANG_ON_EMPTY_DESCRIPTION = """\
package tdcheck.rules.org_replace

import rego.v1

# replace(s, "", x) never returns on regopy: only the manifest with description "" hangs.
findings := {x | x := replace(input.metadata.name, input.metadata.description, "x"); false}
"""


def policy_dir(tmp_path: Path, rego: str) -> str:
    directory = tmp_path / "org"
    directory.mkdir()
    (directory / "org.rego").write_text(rego)
    return str(directory)


def named(tmp_path: Path, name: str, description: str) -> str:
    text = CLEAN.replace("{name: phi-home}", f"{{name: {name}, description: '{description}'}}")
    path = tmp_path / f"{name}.yaml"
    path.write_text(text)
    return str(path)


def test_a_policy_that_crashes_regopy_exits_3_with_a_message(tmp_path: Path) -> None:
    good = [named(tmp_path, f"m{i}", "d") for i in range(2)]
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: [\n")
    result = run_cli(
        "check", "--engine", "embedded", "--policy", policy_dir(tmp_path, WITH_INPUT),
        "-f", "json", *good, str(bad),
    )  # fmt: skip
    assert result.code == 3
    lines = result.err.splitlines()
    assert sum("crashed (SIGABRT) while compiling the policies" in line for line in lines) == 2
    assert any(line.startswith(f"error: {bad}:2:1: YAML syntax error") for line in lines)
    assert "Traceback" not in result.err


def test_a_policy_that_hangs_regopy_on_one_manifest_costs_that_manifest_only(
    tmp_path: Path,
) -> None:
    paths = [named(tmp_path, "m0", "d"), named(tmp_path, "m1", ""), named(tmp_path, "m2", "d")]
    done = subprocess.run(
        [sys.executable, "-m", "checker", "check", "--engine", "embedded", "--timeout", "2",
         "--policy", policy_dir(tmp_path, HANG_ON_EMPTY_DESCRIPTION), "-f", "json", *paths],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 3, done.stderr
    lost = [line for line in done.stderr.splitlines() if "not evaluated" in line]
    assert len(lost) == 1 and paths[1] in lost[0] and "took longer than 2s" in lost[0]
    report = json.loads(done.stdout)
    assert {f["manifest"] for f in report["findings"]} == {paths[0], paths[2]}


@pytest.mark.parametrize(
    "heads",
    [("v(x) := x", "v(x, y) := x"), ("v(x) = x", "v(x, y) = x"), ("  v(x) := x", "v(x, y) if x")],
    ids=["assign", "unify", "indented"],
)
def test_one_function_name_with_two_arities_is_refused_before_any_engine(
    tmp_path: Path, heads: tuple[str, str]
) -> None:
    """regopy segfaults on such a pair, depending on load order: refuse it up front."""
    directory = tmp_path / "org"
    directory.mkdir()
    for name, head in zip(("a", "b"), heads, strict=True):
        (directory / f"{name}.rego").write_text(
            f"package tdcheck.rules.org_{name}\n\nimport rego.v1\n\n{head}\n\nfindings := set()\n"
        )
    result = run_cli("check", "--engine", "embedded", "--policy", str(directory),
                     named(tmp_path, "m0", "d"))  # fmt: skip
    assert result.code == 3
    assert "function v takes 2 argument(s) here and 1 in policy1/a.rego" in result.err


def test_a_single_manifest_is_contained_too(tmp_path: Path) -> None:
    """The pre-commit path (one manifest, evaluated without a batch's workers before): a
    hang is stopped at --timeout and a crash is a one-line exit 3, never SIGABRT or a hang."""
    hang = named(tmp_path, "m1", "")
    done = subprocess.run(
        [sys.executable, "-m", "checker", "check", "--engine", "embedded", "--timeout", "2",
         "--policy", policy_dir(tmp_path, HANG_ON_EMPTY_DESCRIPTION), hang],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 3, done.stderr
    assert "took longer than 2s" in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    crash = tmp_path / "crash"
    crash.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "checker", "check", "--engine", "embedded",
         "--policy", policy_dir(crash, WITH_INPUT), named(crash, "m0", "d")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 3, done.stderr
    assert "crashed (SIGABRT) while compiling the policies" in done.stdout + done.stderr


def test_a_worker_over_its_memory_budget_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TDCHECK_ENGINE_MEMORY_MB", "64")
    engine = IsolatedEngine(
        crashers.misbehaving, crashers.EMPTY_POLICY, EngineOptions(timeout_s=30)
    )
    try:
        [result] = engine.evaluate([{"n": 0, "action": "grow"}])
    finally:
        engine.close()
    assert result.error is not None and "memory budget of 64 MB exceeded" in result.error
