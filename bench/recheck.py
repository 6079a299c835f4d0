"""Re-check benchmark: the result cache on a repository where a few manifests changed.

    python bench/recheck.py                          # 10,000 manifests, 10 changed
    python bench/recheck.py --size 1000 --changed 10
    python bench/recheck.py --format sarif --engine opa

Generates the seeded corpus (bench/generate.py), then runs `tdcheck check` on it three
times with a private result cache (TDCHECK_CACHE_DIR in the work directory), on a
snapshot of the code (bench/run.py): cold (every manifest evaluated and stored), warm
(nothing changed: every file from the cache), and the re-check after CHANGED manifests
were edited (their `metadata.labels` gain a label, so each must be evaluated again). Each
run's wall time, CPU time and peak RSS is measured like bench/run.py's, and the re-check's
report is compared byte for byte with a `--no-cache` run of the same files (unless
--no-verify). With --out, a dated section is appended to the results file.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import write_corpus  # noqa: E402
from measure import Measurement, measure  # noqa: E402
from report import environment  # noqa: E402
from run import AS_OF, _env, _snapshot  # noqa: E402

TARGET_S = 3.0


def _argv(args: argparse.Namespace, corpus: Path, out: Path, *extra: str) -> list[str]:
    argv = [sys.executable, "-m", "checker", "check", "--engine", args.engine, "--as-of", AS_OF]
    argv += ["--format", args.format, "--output", str(out), "--fail-on", "never", "--quiet"]
    return [*argv, *extra, str(corpus)]


def _edit(corpus: Path, count: int) -> list[Path]:
    """Spread over the corpus: a label added under metadata (valid, and a new key)."""
    files = sorted(corpus.glob("*.yaml"))
    step = max(1, len(files) // max(1, count))
    changed = files[::step][:count]
    for path in changed:
        text = path.read_text()
        if "\n  labels:\n" in text:
            text = text.replace("\n  labels:\n", "\n  labels:\n    recheck: edited\n", 1)
        else:
            text = text.replace("\nmetadata:\n", "\nmetadata:\n  labels: {recheck: edited}\n", 1)
        path.write_text(text)
    return changed


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


def _row(name: str, result: Measurement) -> str:
    return (
        f"| {name} | {result.wall_s:.2f} | {result.cpu_s:.2f} | {result.peak_rss_mb:,.0f} "
        f"| {result.returncode} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--changed", type=int, default=10)
    parser.add_argument("--engine", default="auto")
    parser.add_argument("--format", default="text")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-verify", action="store_true")
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--out", type=Path, help="append the results to this file")
    args = parser.parse_args()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="tdcheck-recheck-")).resolve()
    before = environment(AS_OF, args.seed)
    try:
        env = _env(_snapshot(work))
        env["TDCHECK_CACHE_DIR"] = str(work / "cache")
        shutil.rmtree(work / "cache", ignore_errors=True)
        corpus = work / "corpus"
        shutil.rmtree(corpus, ignore_errors=True)
        write_corpus(corpus, args.size, args.seed)
        rows: list[str] = []
        outs = {}
        for name in ("cold", "warm", "re-check"):
            if name == "re-check":
                _edit(corpus, args.changed)
            out = work / f"{name}.out"
            result = measure(_argv(args, corpus, out), work / f"{name}.stdout", cwd=work, env=env)
            rows.append(_row(name, result))
            outs[name] = (out, result)
            print(rows[-1], flush=True)
        agree = "not compared"
        if not args.no_verify:
            fresh = work / "fresh.out"
            argv = _argv(args, corpus, fresh, "--no-cache")
            result = measure(argv, work / "fresh.stdout", cwd=work, env=env)
            rows.append(_row("--no-cache (same files)", result))
            print(rows[-1], flush=True)
            same = fresh.read_bytes() == outs["re-check"][0].read_bytes()
            agree = "byte-identical" if same else "DIFFERENT"
        recheck = outs["re-check"][1].wall_s
        verdict = "met" if recheck < TARGET_S else "missed"
        cache_mb = sum(p.stat().st_size for p in (work / "cache").rglob("*.tdr")) / 1e6
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    after = environment(AS_OF, args.seed)
    shown = " ".join(_shown(sys.argv[1:]))
    text = "\n".join(
        [
            f"## Re-check with the result cache ({before['date']})",
            "",
            f"Generated by `python bench/recheck.py {shown}`.".replace(" `.", "`."),
            "",
            f"- machine: {before['machine']}",
            f"- load average (1, 5, 15 min): {before['load']} before, {after['load']} after",
            f"- {before['versions']}",
            f"- corpus: {before['corpus']}; {args.size:,} manifests, {args.changed} changed "
            f"for the re-check; `--engine {args.engine} --format {args.format}`",
            f"- result cache after the runs: {cache_mb:.1f} MB",
            "",
            "| run | wall s | CPU s | peak RSS MB | exit |",
            "|---|---|---|---|---|",
            *rows,
            "",
            f"Re-check report vs a `--no-cache` run of the same files: {agree}.",
            f"Target: re-check of {args.size:,} with {args.changed} changed under "
            f"{TARGET_S:.0f} s: {recheck:.2f} s, {verdict}.",
            "",
        ]
    )
    print(text)
    if args.out is not None:
        with args.out.open("a", encoding="utf-8") as handle:
            handle.write("\n" + text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
