"""Run one command and measure it: wall time, CPU time and peak RSS of its whole process tree.

Peak memory is sampled from /proc every 20 ms as the sum of the resident sets of the
child and all its descendants (tdcheck's engine workers, the local OPA server), so it
counts shared library pages once per process: an upper bound. CPU time is the child's
rusage, which includes the descendants it waited for. Linux only (/proc, wait4).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

_PAGE = os.sysconf("SC_PAGE_SIZE")
_POLL_S = 0.02


@dataclass(frozen=True, slots=True)
class Measurement:
    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    returncode: int
    timed_out: bool = False


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children", encoding="ascii") as handle:
                found.extend(int(child) for child in handle.read().split())
        except OSError:
            continue
    return found


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss(root: int) -> int:
    """Bytes resident in `root` and every descendant right now."""
    total, stack, seen = 0, [root], set()
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        total += _rss(pid)
        stack.extend(_children(pid))
    return total


def measure(
    argv: Sequence[str],
    stdout: Path,
    *,
    cwd: Path,
    env: dict[str, str],
    timeout_s: float | None = None,
) -> Measurement:
    """Run argv with stdout to a file (stderr beside it, `.err`); never raises for its failure."""
    peak = 0
    with stdout.open("wb") as out, stdout.with_suffix(".err").open("wb") as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(argv), stdout=out, stderr=err, cwd=cwd, env=env, start_new_session=True
        )
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            peak = max(peak, tree_rss(process.pid))
            if timeout_s is not None and time.perf_counter() - started > timeout_s:
                os.killpg(process.pid, signal.SIGKILL)  # our own session: the run and its tree
                _pid, status, usage = os.wait4(process.pid, 0)
                wall = time.perf_counter() - started
                cpu = usage.ru_utime + usage.ru_stime
                return Measurement(wall, cpu, peak / 1e6, -9, timed_out=True)
            time.sleep(_POLL_S)
        wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    # A run shorter than the poll interval is never sampled: then its own peak is the best
    # we have. Only then: Linux carries a forking process's high-water mark into the child
    # across exec, so ru_maxrss of a child started by this (large, after a verify step)
    # process reports this process's peak, not the child's (479 MB at 10,000 manifests,
    # for a run whose sampled tree peaked at 174 MB).
    if peak == 0:
        peak = usage.ru_maxrss * 1024
    return Measurement(wall, cpu, peak / 1e6, process.returncode)
