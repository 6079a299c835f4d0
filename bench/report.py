"""The benchmark's table (Markdown), its environment header and the speed targets."""

from __future__ import annotations

import datetime as dt
import os
import platform
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from measure import Measurement


@dataclass(slots=True)
class Row:
    size: int
    tool: str
    result: Measurement | None  # None: extrapolated or not run
    note: str = ""
    agree: str = ""
    wall_s: float = 0.0  # measured, or extrapolated
    base: int = 0  # for an extrapolated row: the largest size measured

    def extrapolate(self, size: int) -> Row:
        """Linear in the manifests from the largest measured run (per-manifest cost)."""
        base = self.base or self.size
        note = f"~ extrapolated from {base}"
        return Row(size, self.tool, None, note, wall_s=self.wall_s * size / self.size, base=base)

    def line(self) -> str:
        return f"{self.size:>6} {self.tool:<17} {self.wall_s:9.2f} s  {self.note}"


def _version(argv: list[str]) -> str:
    binary = shutil.which(argv[0]) or str(Path.home() / "go" / "bin" / argv[0])
    try:
        out = subprocess.run([binary, *argv[1:]], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return "absent"
    for line in out.stdout.splitlines():
        if line.startswith(("Version:", "Conftest:")):
            return line.split(":", 1)[1].strip()
    return out.stdout.strip().splitlines()[0] if out.stdout.strip() else "unknown"


def environment(as_of: str, seed: int) -> dict[str, str]:
    try:
        import regopy

        regopy_version = str(regopy.__version__)
    except ImportError:
        regopy_version = "absent"
    from checker import __version__

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB, {platform.system()}",
        "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
        "versions": (
            f"tdcheck {__version__}, regopy {regopy_version}, OPA {_version(['opa', 'version'])}"
            f", conftest {_version(['conftest', '--version'])}, Python {platform.python_version()}"
        ),
        "corpus": f"bench/generate.py, seed {seed}, as-of {as_of}",
    }


def _cell(row: Row, conftest: dict[int, float]) -> list[str]:
    result = row.result
    if result is None and not row.wall_s:
        return [f"{row.size:,}", row.tool, "", "", "", "", "", row.note]
    prefix = "~" if result is None else ""
    ratio = conftest.get(row.size)
    return [
        f"{row.size:,}",
        row.tool,
        f"{prefix}{row.wall_s:,.2f}",
        f"{prefix}{1000 * row.wall_s / row.size:,.1f}",
        f"{result.cpu_s:,.2f}" if result else "",
        f"{result.peak_rss_mb:,.0f}" if result else "",
        f"{prefix}{row.wall_s / ratio:.2f}x" if ratio else "",
        "; ".join(filter(None, [row.agree, row.note])),
    ]


def _find(rows: list[Row], size: int, tool: str) -> Row | None:
    return next((r for r in rows if r.size == size and r.tool == tool and r.wall_s), None)


def _judge(name: str, left: Row | None, right: Row | None, factor: float) -> str:
    if left is None or right is None:
        return f"- {name}: not measured in this run"
    ratio = left.wall_s / right.wall_s
    met = "met" if ratio <= factor else "missed"
    approx = " (extrapolated)" if left.result is None or right.result is None else ""
    return f"- {name}: {ratio:.2f}x, target <= {factor:g}x: {met}{approx}"


def _targets(rows: list[Row]) -> list[str]:
    def find(size: int, tool: str) -> Row | None:
        return _find(rows, size, tool)

    judge = _judge
    lines = [
        judge(
            "1 manifest, tdcheck (auto = embedded) vs conftest",
            find(1, "tdcheck embedded"),
            find(1, "conftest"),
            2,
        ),
        judge(
            "1,000 manifests, tdcheck --engine opa vs conftest",
            find(1000, "tdcheck opa"),
            find(1000, "conftest"),
            1,
        ),
        judge(
            "1,000 manifests, tdcheck --engine embedded vs conftest",
            find(1000, "tdcheck embedded"),
            find(1000, "conftest"),
            3,
        ),
    ]
    lines += [_memory(tool, find(10000, tool), 300) for tool in ("tdcheck opa", "tdcheck embedded")]
    return lines


def _wasm_targets(rows: list[Row]) -> list[str]:
    def find(size: int, tool: str) -> Row | None:
        return _find(rows, size, tool)

    judge = _judge
    conftest = {size: find(size, "conftest") for size in (1, 1000)}
    return [
        judge("1 manifest, tdcheck auto vs conftest", find(1, "tdcheck auto"), conftest[1], 0.8),
        judge(
            "1 manifest, tdcheck auto, cold cache (--no-cache) vs conftest",
            find(1, "tdcheck auto cold"),
            conftest[1],
            1.0,
        ),
        judge(
            "1,000 manifests, tdcheck auto vs conftest",
            find(1000, "tdcheck auto"),
            conftest[1000],
            0.3,
        ),
        judge(
            "1,000 manifests, tdcheck auto vs opa exec (ahead: < 1x)",
            find(1000, "tdcheck auto"),
            find(1000, "opa exec"),
            1.0,
        ),
        _memory("tdcheck auto", find(10000, "tdcheck auto"), 150),
    ]


def _memory(tool: str, row: Row | None, limit_mb: int) -> str:
    name = f"10,000 manifests, {tool}, peak memory < {limit_mb} MB"
    if row is None or row.result is None:
        return f"- {name}: not measured"
    met = "met" if row.result.peak_rss_mb < limit_mb else "missed"
    return f"- {name}: {row.result.peak_rss_mb:,.0f} MB: {met}"


def render(
    rows: list[Row],
    before: dict[str, str],
    after: dict[str, str],
    argv: list[str],
    section: bool = False,
) -> str:
    """The results page, or (`section`) a dated section to append to it."""
    conftest = {r.size: r.wall_s for r in rows if r.tool == "conftest" and r.wall_s}
    head = ["manifests", "tool", "wall s", "ms/manifest", "CPU s", "peak RSS MB"]
    head += ["vs conftest", "same failures"]
    table = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    table += ["| " + " | ".join(_cell(row, conftest)) + " |" for row in rows]
    title = f"## Benchmark results, {before['date']}" if section else "# Benchmark results"
    sub = "###" if section else "##"
    return "\n".join(
        [
            title,
            "",
            f"Generated by `python bench/run.py {shlex.join(argv)}`".rstrip()
            + " (docs/performance.md).",
            "",
            f"- date: {before['date']}",
            f"- machine: {before['machine']}",
            f"- load average (1, 5, 15 min): {before['load']} before, {after['load']} after",
            f"- {before['versions']}",
            f"- corpus: {before['corpus']}",
            "",
            *table,
            "",
            "Wall time is end to end (process start, policy load, every manifest, JSON output;",
            "for 1 and 10 manifests the median of five runs), on the code as it was at the start",
            "(the benchmark runs a snapshot of checker/, policies/ and schemas/). Every tdcheck",
            "run evaluates every manifest: the result cache is emptied before each (the compiled",
            "policies are kept, as after a first run; `cold` is --no-cache: nothing kept).",
            "CPU s is user + system of the process tree; peak RSS sums the tree (an upper bound).",
            "`~` marks a run extrapolated linearly from the largest measured size (over --budget).",
            "`same failures`: both tdcheck engines gave identical findings, and conftest and",
            "`opa exec` reported exactly tdcheck's failing findings (file, deny/warn, message).",
            "",
            f"{sub} Targets (OPA and embedded engines)",
            "",
            *_targets(rows),
            "",
            f"{sub} Targets (default engine: Wasm)",
            "",
            *_wasm_targets(rows),
            "",
        ]
    )


def write_results(path: Path, text: str, append: bool = False) -> None:
    if append and path.exists():
        with path.open("a", encoding="utf-8") as out:
            out.write("\n" + text)
    else:
        path.write_text(text, encoding="utf-8")
