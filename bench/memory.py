"""Peak memory of `tdcheck check` as the batch grows: per engine, report format and size.

    python bench/memory.py                                  # 1,000 and 3,000, opa, json
    python bench/memory.py --sizes 1000,3000 --engines opa,embedded --formats json,text,sarif
    python bench/memory.py --sizes 10000 --engines opa      # about 4 minutes on 2 cores

Generates the benchmark's seeded corpus (bench/generate.py; the first N files of a larger
corpus are the N-file corpus, hard-linked), runs `tdcheck check` on each size with the
report written to a file, and prints wall time and the peak resident memory of the whole
process tree (sampled as bench/measure.py does: every 20 ms, the sum over the CLI, its
engine workers and the local OPA server), and the peak of each of those processes.
Streaming keeps the peak flat: it should not grow with the number of manifests.
`--source DIR` measures another checkout's checker/ (say a copy taken before a change).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import write_corpus  # noqa: E402
from measure import _children, _rss  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-28"


def _env(source: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TDCHECK_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(source), env.get("PYTHONPATH")]))
    gobin = Path(os.environ.get("GOPATH", Path.home() / "go")) / "bin"
    env["PATH"] = os.pathsep.join([str(gobin), env.get("PATH", "")])
    return env


def _corpus(work: Path, sizes: list[int], seed: int) -> dict[int, Path]:
    full = work / "corpus"
    if len(list(full.glob("m*.yaml"))) < max(sizes):
        write_corpus(full, max(sizes), seed)
    targets = {}
    for size in sizes:
        target = work / f"n{size}"
        target.mkdir(exist_ok=True)
        for index in range(size):
            link = target / f"m{index:05d}.yaml"
            if not link.exists():
                os.link(full / link.name, link)
        targets[size] = target
    return targets


def _role(pid: int, root: int) -> str:
    if pid == root:
        return "cli"
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            argv = handle.read().split(b"\0")
    except OSError:
        return "other"
    name = Path(argv[0].decode(errors="replace")).name
    if name == "opa":
        return "opa " + argv[1].decode(errors="replace") if len(argv) > 1 else "opa"
    return "worker" if b"multiprocessing" in b" ".join(argv) else name or "other"


def sample(
    argv: Sequence[str], cwd: Path, env: dict[str, str]
) -> tuple[float, int, dict[str, int]]:
    """Run argv; wall seconds, peak bytes of the tree (sum at one instant), peak per role."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL)
    peak, roles = 0, {}
    while process.poll() is None:
        total, stack, seen = 0, [process.pid], set()
        while stack:
            pid = stack.pop()
            if pid in seen:
                continue
            seen.add(pid)
            rss = _rss(pid)
            total += rss
            # Read every time: a child is a copy of its parent until it execs (opa).
            role = _role(pid, process.pid)
            roles[role] = max(roles.get(role, 0), rss)
            stack.extend(_children(pid))
        peak = max(peak, total)
        time.sleep(0.02)
    return time.perf_counter() - started, peak, roles


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="1000,3000")
    parser.add_argument("--engines", default="opa", help="comma-separated: opa, embedded")
    parser.add_argument("--formats", default="json", help="comma-separated report formats")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--source", type=Path, default=ROOT, help="checkout to measure")
    parser.add_argument("--workdir", type=Path, help="default: a temporary directory")
    args = parser.parse_args()
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    work = Path(args.workdir or tempfile.mkdtemp(prefix="tdcheck-memory-")).resolve()
    work.mkdir(parents=True, exist_ok=True)
    env = _env(args.source.resolve())
    print(f"{'manifests':>9}  {'engine':<8}  {'format':<8}  {'wall s':>7}  {'tree MB':>7}  each MB")
    try:
        targets = _corpus(work, sizes, args.seed)
        for size in sizes:
            for engine in filter(None, args.engines.split(",")):
                for fmt in filter(None, args.formats.split(",")):
                    report = work / f"report-{size}-{engine}.{fmt}"
                    argv = [sys.executable, "-m", "checker", "check", "--engine", engine]
                    argv += ["--as-of", AS_OF, "-f", fmt, "-o", str(report), "-q"]
                    argv += ["--fail-on", "never", str(targets[size])]
                    wall, peak, roles = sample(argv, work, env)
                    each = ", ".join(
                        f"{role} {rss / 1e6:.0f}" for role, rss in sorted(roles.items())
                    )
                    row = f"{size:>9,}  {engine:<8}  {fmt:<8}  {wall:7.1f}  {peak / 1e6:7,.0f}"
                    print(f"{row}  {each}", flush=True)
                    report.unlink(missing_ok=True)
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
