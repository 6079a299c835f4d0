"""Every child dies with tdcheck and takes its temporary directory with it: on SIGTERM, SIGHUP
and Ctrl-C, and on SIGKILL (the OPA server's parent-death signal); `-o` leaves no report."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.test_cli import CLEAN

# Endless on every engine in practice (10^12 pairs per manifest, nothing kept): the run is
# still evaluating when the signal comes, however fast the machine or warm the caches.
SLOW = """\
package tdcheck.rules.org_slow

import rego.v1

findings := [] if count(pairs) < 0

pairs := [1 |
	some x in numbers.range(1, 1000000)
	some y in numbers.range(1, 1000000)
	x == y
]
"""


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:
            continue
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _as_in_a_terminal() -> None:
    """Ctrl-C as a terminal delivers it: a test run started in the background (CI jobs,
    `cmd &`) inherits SIGINT ignored, and a program rightly keeps what it inherits."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start(tmp_path: Path, engine: str, count: int = 6) -> tuple[subprocess.Popen[str], Path]:
    policies = tmp_path / "org"
    policies.mkdir()
    (policies / "slow.rego").write_text(SLOW)
    paths = []
    for i in range(count):
        path = tmp_path / f"m{i}.yaml"
        path.write_text(CLEAN.replace("name: phi-", f"name: m{i}-phi-"))
        paths.append(str(path))
    temp = tmp_path / "tmp"
    temp.mkdir()
    report = tmp_path / "report.json"
    env = {**os.environ, "TMPDIR": str(temp)}
    process = subprocess.Popen(
        [sys.executable, "-m", "checker", "check", "--engine", engine, "--policy", str(policies),
         "-f", "json", "-o", str(report), *paths],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        preexec_fn=_as_in_a_terminal,
    )  # fmt: skip
    return process, temp


def wait_for_children(process: subprocess.Popen[str], engine: str) -> set[int]:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        kids = children(process.pid)
        named = {pid for pid in kids if _is(pid, engine)}
        if named:
            time.sleep(1.0)  # evaluating, well past start-up
            return children(process.pid)
        assert process.poll() is None, process.communicate()
        time.sleep(0.1)
    raise AssertionError("no engine child appeared")


def _is(pid: int, engine: str) -> bool:
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return (b"opa" in command) if engine == "opa" else (b"python" in command)


@pytest.mark.parametrize("engine", ["opa", "embedded"])
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_ends_every_child_and_leaves_nothing(
    tmp_path: Path, engine: str, signum: int, request: pytest.FixtureRequest
) -> None:
    if engine == "opa":
        request.getfixturevalue("opa_binary")
    process, temp = start(tmp_path, engine)
    try:
        kids = wait_for_children(process, engine)
        process.send_signal(signum)
        _, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    deadline = time.monotonic() + 5  # an orphaned worker notices within a second
    while any(alive(pid) for pid in kids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in kids if alive(pid)]
    assert list(temp.iterdir()) == []
    assert not list(tmp_path.glob("*report.json*"))


def test_sigkill_still_ends_the_local_opa_server(tmp_path: Path, opa_binary: str) -> None:
    process, _ = start(tmp_path, "opa")
    try:
        kids = wait_for_children(process, "opa")
        process.kill()
        process.wait(timeout=10)
    finally:
        process.kill()
    deadline = time.monotonic() + 5
    while any(alive(pid) for pid in kids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in kids if alive(pid)]
