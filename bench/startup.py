"""Start-up benchmark: one manifest through `tdcheck check` beside conftest.

    python bench/startup.py                              # median of 15 runs each
    python bench/startup.py --runs 31 fixtures/examples/defence-air-gapped.yaml
    python bench/startup.py --no-cache                   # tdcheck without the policy cache
    python bench/startup.py --source /tmp/old-checkout   # another tree (before/after)

Runs `python -m checker check FILE --format json` (engine auto: the Wasm engine) and
`conftest test --policy policies --namespace main --data AS_OF FILE` the way bench/run.py
does, alternating the two so that a change in the machine's load hits both, and prints the
median wall and CPU time of each and their ratios (CPU time moves less with the load).
tdcheck runs with a private, pre-warmed policy cache (the pre-commit path after the first
commit) whose result cache is emptied before each run, so every run evaluates the
manifest; `--no-cache` measures a cold compile.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import AS_OF, ROOT, _binary  # noqa: E402


def _time(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, int, str]:
    """Wall and CPU (user + system, children included) seconds, exit code, stderr."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu, done.returncode, done.stderr


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("manifest", nargs="?", default="fixtures/examples/research-cloud-spot.yaml")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--no-cache", action="store_true", help="tdcheck compiles every run")
    parser.add_argument("--source", type=Path, default=ROOT, help="tree with checker/, policies/")
    args = parser.parse_args()
    source = args.source.resolve()
    manifest = str(Path(args.manifest).resolve())
    conftest = _binary("conftest")
    with tempfile.TemporaryDirectory(prefix="tdcheck-startup-") as work:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TDCHECK_")}
        env["TDCHECK_CACHE_DIR"] = str(Path(work) / "cache")
        # Byte code written by the warm-up run and read by the rest, as an installed package
        # has it (some CI images set this to stop writing it: every run would compile).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        if args.no_cache:
            env["TDCHECK_NO_CACHE"] = "1"
        as_of = Path(work) / "as_of.json"
        as_of.write_text(json.dumps({"tdcheck": {"as_of": AS_OF}}))
        tdcheck = [sys.executable, "-m", "checker", "check", "--as-of", AS_OF]
        tdcheck += ["--format", "json", "--fail-on", "never", manifest]
        commands = {"tdcheck": tdcheck}
        if conftest is not None:
            commands["conftest"] = [conftest, "test", "--policy", str(source / "policies")]
            commands["conftest"] += ["--namespace", "main", "--output", "json", "--data"]
            commands["conftest"] += [str(as_of), "--no-fail", "--no-color", manifest]
        for name, argv in commands.items():  # warm the page cache and the policy cache
            _, _, code, err = _time(argv, env, source)
            if code != 0:
                print(f"{name} failed (exit {code}): {err.strip()[-300:]}", file=sys.stderr)
                return 2
        times: dict[str, list[float]] = {name: [] for name in commands}
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, argv in commands.items():
                # Each run evaluates the manifest: no result kept by the run before.
                shutil.rmtree(Path(work) / "cache" / "results", ignore_errors=True)
                wall, used, _, _ = _time(argv, env, source)
                times[name].append(wall)
                cpu[name].append(used)
    medians = {name: statistics.median(values) for name, values in times.items()}
    cpus = {name: statistics.median(values) for name, values in cpu.items()}
    for name, values in times.items():
        print(
            f"{name:9} wall median {medians[name]:.3f} s, min {min(values):.3f} s; "
            f"CPU median {cpus[name]:.3f} s (n={len(values)})"
        )
    if "conftest" in medians:
        wall_ratio = medians["tdcheck"] / medians["conftest"]
        cpu_ratio = cpus["tdcheck"] / cpus["conftest"]
        print(f"ratio     {wall_ratio:.2f}x conftest (wall), {cpu_ratio:.2f}x (CPU)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
