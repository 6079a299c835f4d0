"""Benchmark: tdcheck (embedded and OPA engines) beside conftest and `opa exec`, same policies.

    python bench/run.py                       # 1, 10, 100, 1,000 and 10,000 manifests
    python bench/run.py --sizes 1,10,100      # a quick run
    python bench/run.py --budget 300          # extrapolate any run predicted to take longer
    python bench/run.py --sizes 1,1000 --tools "tdcheck auto,tdcheck auto cold,conftest,opa exec" \
        --append                              # the default engine; a dated section appended

Generates a seeded corpus (bench/generate.py), then for each size runs every tool on the
same directory: `tdcheck check --engine auto|embedded|opa -f json`, `conftest test` through
the conftest entry package (policies/conftest/), and `opa exec` of the same decision. It
prints wall time, time per manifest, CPU time, peak RSS of the process tree and the ratio
to conftest's wall time, checks that all tools report the same failures (and both tdcheck
engines the same findings), and writes the table to bench/results.md. A run predicted to
exceed --budget seconds (linear in the manifests) is not run but extrapolated, marked "~".
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import write_corpus  # noqa: E402
from measure import measure  # noqa: E402
from report import Row, environment, render, write_results  # noqa: E402
from verify import agreement  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-28"
# `tdcheck auto` is the default engine (Wasm for the shipped policies); `cold` runs it with
# --no-cache, as a first run after an install or a policy change would.
TOOLS = (
    "tdcheck auto",
    "tdcheck auto cold",
    "tdcheck embedded",
    "tdcheck opa",
    "conftest",
    "opa exec",
)


def _binary(name: str) -> str | None:
    candidate = Path(os.environ.get("GOPATH", Path.home() / "go")) / "bin" / name
    return shutil.which(name) or (str(candidate) if candidate.is_file() else None)


def _snapshot(work: Path) -> Path:
    """A copy of the checker, policies and schemas: every run of one benchmark measures the
    same code, even while the working tree changes."""
    source = work / "src"
    for part in ("checker", "policies", "schemas"):
        shutil.rmtree(source / part, ignore_errors=True)
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
        shutil.copytree(ROOT / part, source / part, ignore=ignore)
    # Byte-compiled as pip installs a package: with PYTHONDONTWRITEBYTECODE set (as some
    # CI images do), every run would otherwise compile each module it imports again.
    compileall.compile_dir(source / "checker", quiet=1)
    return source


def _prepare(work: Path, policies: Path) -> dict[str, Path]:
    """conftest's date as --data, and a bundle directory for `opa exec` with the date in it."""
    as_of = work / "as_of.json"
    as_of.write_text(json.dumps({"tdcheck": {"as_of": AS_OF}}))
    bundle = work / "opa-exec-bundle"
    for source in policies.rglob("*.rego"):
        if not source.name.endswith("_test.rego"):
            target = bundle / source.relative_to(policies)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    data = json.loads((policies / "data.json").read_text())
    data["tdcheck"]["as_of"] = AS_OF
    (bundle / "data.json").write_text(json.dumps(data))
    return {"as_of": as_of, "bundle": bundle, "policies": policies}


def command(tool: str, target: Path, out: Path, files: dict[str, Path]) -> list[str] | None:
    """The command line of one tool on one directory, or None when the tool is not installed."""
    opa, conftest = _binary("opa"), _binary("conftest")
    if tool.startswith("tdcheck"):
        engine = tool.split()[1]
        if engine == "opa" and opa is None:
            return None
        args = ["check", "--engine", engine, "--as-of", AS_OF, "--format", "json"]
        args += ["--no-cache"] if tool.endswith(" cold") else []
        args += ["--output", str(out), "--fail-on", "never", "--quiet", str(target)]
        return [sys.executable, "-m", "checker", *args]
    if tool == "conftest" and conftest is not None:
        args = ["test", "--policy", str(files["policies"]), "--namespace", "main"]
        args += ["--output", "json"]
        args += ["--data", str(files["as_of"]), "--no-fail", "--no-color", str(target)]
        return [conftest, *args]
    if tool == "opa exec" and opa is not None:
        args = ["exec", "--decision", "tdcheck/conftest/results", "--bundle", str(files["bundle"])]
        return [opa, *args, str(target)]
    return None


def _env(source: Path) -> dict[str, str]:
    """No TDCHECK_* settings from the caller; the snapshot importable; opa on PATH."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TDCHECK_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(source), env.get("PYTHONPATH")]))
    opa = _binary("opa")
    if opa is not None:
        env["PATH"] = os.pathsep.join([str(Path(opa).parent), env.get("PATH", "")])
    return env


def run_size(size: int, target: Path, args: argparse.Namespace, state: dict[str, Row]) -> list[Row]:
    """Every tool on one directory of `size` manifests; `state` holds each tool's last row."""
    rows: list[Row] = []
    outputs: dict[str, Path] = {}
    for tool in args.tools:
        out = args.work / f"out-{size}-{tool.replace(' ', '-')}.json"
        argv = command(tool, target, out, args.files)
        last = state.get(tool)
        if argv is None:
            rows.append(Row(size, tool, None, "not installed"))
        elif last is not None and (last.base or last.wall_s * size / last.size > args.budget):
            rows.append(last.extrapolate(size))
        else:
            # tdcheck writes its report to --output; conftest and opa exec to stdout.
            stdout = out.with_suffix(".stdout") if tool.startswith("tdcheck") else out
            repeats = 5 if size <= 10 else 1  # short runs are noisy: the median of five
            runs = []
            for _ in range(repeats):
                # Every run evaluates: no results kept from the one before (the compiled
                # policies stay, as on a machine that ran tdcheck before).
                shutil.rmtree(args.work / "cache" / "results", ignore_errors=True)
                runs.append(
                    measure(argv, stdout, cwd=args.work, env=args.env, timeout_s=3 * args.budget)
                )
            result = sorted(runs, key=lambda m: m.wall_s)[len(runs) // 2]
            note = "timed out" if result.timed_out else ""
            if result.returncode and not result.timed_out:
                note = f"exit {result.returncode}: {_last_words(stdout)}"
            rows.append(Row(size, tool, result, note, wall_s=result.wall_s))
            outputs[tool] = out
        state[tool] = rows[-1]
        print(rows[-1].line(), flush=True)
    if size <= args.verify_max and outputs:
        verdicts = agreement({t: p for t, p in outputs.items() if p.exists()})
        for row in rows:
            row.agree = verdicts.get(row.tool, row.agree)
    for path in args.work.glob(f"out-{size}-*"):
        path.unlink()
    return rows


def _warm_up(target: Path, args: argparse.Namespace) -> None:
    """One unmeasured run per engine, so `tdcheck auto` and the others start from compiled
    policies in the cache, as every run after the first on a machine does."""
    for tool in args.tools:
        argv = command(tool, target, args.work / "warm-up.json", args.files)
        if tool.startswith("tdcheck") and not tool.endswith(" cold") and argv is not None:
            measure(argv, args.work / "warm-up.stdout", cwd=args.work, env=args.env)


def _last_words(stdout: Path) -> str:
    lines = stdout.with_suffix(".err").read_text(errors="replace").strip().splitlines()
    return lines[-1][:160] if lines else "no message"


def _shown(argv: list[str]) -> list[str]:
    """The command line for the results file, without this machine's paths."""
    shown: list[str] = []
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in ("--workdir", "--out"):
            skip = True
        elif not arg.startswith(("--workdir=", "--out=")):
            shown.append(arg)
    return shown


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="1,10,100,1000,10000")
    parser.add_argument("--tools", default=",".join(TOOLS), help="comma-separated subset")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--budget", type=float, default=900.0, help="seconds per run, at most")
    parser.add_argument("--verify-max", type=int, default=1000, help="compare outputs up to N")
    parser.add_argument("--workdir", type=Path, help="default: a temporary directory")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.md")
    parser.add_argument("--append", action="store_true", help="add a section to --out")
    args = parser.parse_args()
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    args.tools = [t.strip() for t in args.tools.split(",") if t.strip() in TOOLS]
    args.work = Path(args.workdir or tempfile.mkdtemp(prefix="tdcheck-bench-")).resolve()
    source = _snapshot(args.work)
    args.env = _env(source)
    # A cache of the benchmark's own: not the user's, and never a result from another run.
    args.env["TDCHECK_CACHE_DIR"] = str(args.work / "cache")
    shutil.rmtree(args.work / "cache", ignore_errors=True)
    before = environment(AS_OF, args.seed)
    corpus = args.work / "corpus"
    write_corpus(corpus, max(sizes), args.seed)
    args.files = _prepare(args.work, source / "policies")
    rows: list[Row] = []
    state: dict[str, Row] = {}
    try:
        for size in sizes:
            target = args.work / f"n{size}"
            target.mkdir(exist_ok=True)
            for index in range(size):
                link = target / f"m{index:05d}.yaml"
                if not link.exists():
                    os.link(corpus / link.name, link)
            if size == sizes[0]:
                _warm_up(target, args)
            rows.extend(run_size(size, target, args, state))
    finally:
        if args.workdir is None:
            shutil.rmtree(args.work, ignore_errors=True)
    after = environment(AS_OF, args.seed)
    text = render(rows, before, after, _shown(sys.argv[1:]), section=args.append)
    print(text)
    write_results(args.out, text, append=args.append)
    return 0


if __name__ == "__main__":
    sys.exit(main())
