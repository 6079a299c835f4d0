"""The bad-input corpus through the CLI: the contract's exit code, one located line naming the
file, no traceback, bounded time and memory, and good manifests in the same batch evaluated.

Time is bounded by running the whole corpus once in a subprocess with a timeout
(`whole_corpus`); every per-case test depends on that run, so a hang fails it instead of
hanging the suite. Memory is bounded for the loader and validators, which is where hostile
input costs memory, by `validate` under an address-space limit; `check` cannot run under
one: regopy's allocator reserves over 128 GiB of address space and aborts without it
(the containment turns that into exit 3, "Failed to initialise snmalloc").
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, CliResult, run_cli
from tests.hardening.corpus import CASES, Case
from tests.test_cli import CLEAN, PHI_ABROAD

MEMORY_LIMIT = 3 * 1024**3  # address space of the run and its workers


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_bounded(
    *args: str, cwd: Path | None = None, memory: bool = False
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "checker", *args],
        capture_output=True, text=True, timeout=300, cwd=cwd,
        preexec_fn=_limit_memory if memory else None,
    )  # fmt: skip


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    for case in CASES:
        (root / case.name).write_bytes(case.content)
    (root / "good-a.yaml").write_text(CLEAN)
    (root / "good-b.yaml").write_text(PHI_ABROAD)
    return root


@pytest.fixture(scope="module")
def whole_corpus(corpus: Path) -> subprocess.CompletedProcess[str]:
    """Every bad input and two good manifests in one batch."""
    paths = [str(corpus / case.name) for case in CASES]
    paths += [str(corpus / "good-a.yaml"), str(corpus / "good-b.yaml")]
    return run_bounded("check", "--engine", "embedded", "-f", "json", *paths)


def error_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("error: ")]


def assert_located(err: str, path: str, case: Case) -> None:
    lines = [line for line in error_lines(err) if line.startswith(f"error: {path}")]
    assert lines, err
    where = f"{path}:{case.where}: " if case.where else f"{path}: "
    assert lines[0].startswith(f"error: {where}"), (lines[0], case.where)
    assert case.message in lines[0], lines[0]


def test_the_loader_stays_within_bounded_memory(corpus: Path) -> None:
    paths = [str(corpus / case.name) for case in CASES]
    done = run_bounded("validate", "-f", "json", *paths, memory=True)
    assert done.returncode == 2, done.stderr[-2000:]
    assert "MemoryError" not in done.stderr and "internal error" not in done.stderr
    assert len(error_lines(done.stderr)) >= len([c for c in CASES if c.code == 2])


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_bad_input(
    case: Case, corpus: Path, whole_corpus: subprocess.CompletedProcess[str]
) -> None:
    path = str(corpus / case.name)
    result = run_cli("check", "--engine", "embedded", "-f", "json", path)
    assert result.code == case.code, result.err
    assert "Traceback" not in result.err + result.out
    assert "internal error" not in result.err
    if case.code == 2:
        assert_located(result.err, path, case)
        assert all(line.startswith(f"error: {path}") for line in error_lines(result.err))
    else:  # a YAML 1.1 surprise that YAML 1.2 reads as written: evaluated, not rejected
        assert case.message in result.out
        assert not error_lines(result.err)


def test_the_whole_corpus_in_one_batch(
    corpus: Path, whole_corpus: subprocess.CompletedProcess[str]
) -> None:
    assert whole_corpus.returncode == 2, whole_corpus.stderr[-2000:]
    assert "Traceback" not in whole_corpus.stderr
    for case in CASES:
        if case.code == 2:
            assert_located(whole_corpus.stderr, str(corpus / case.name), case)
    report = json.loads(whole_corpus.stdout)
    evaluated = {f["manifest"] for f in report["findings"]}
    expected = {str(corpus / n) for n in ("good-a.yaml", "good-b.yaml")}
    expected |= {str(corpus / case.name) for case in CASES if case.code != 2}
    assert evaluated == expected
    assert "not evaluated" not in whole_corpus.stderr


def test_directory_walks_survive_loops_dangling_links_and_pipes(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "deploy" / "nested").mkdir(parents=True)
    (root / "deploy" / "a.yaml").write_text(PHI_ABROAD)
    (root / "deploy" / "nested" / "b.yaml").write_text(CLEAN)
    (root / "deploy" / "nested" / "cm.yaml").write_text("kind: ConfigMap\n")  # skipped quietly
    (root / "deploy" / "nested" / "loop").symlink_to(root / "deploy")
    (root / "deploy" / "self").symlink_to(".")
    (root / "deploy" / "gone.yaml").symlink_to(root / "missing.yaml")
    os.mkfifo(root / "deploy" / "pipe.yaml")  # opening it would block forever
    done = run_bounded("check", "--engine", "embedded", "-f", "json", "deploy", cwd=root)
    assert done.returncode == 2, done.stderr
    errors = error_lines(done.stderr)
    assert errors == [
        "error: deploy/gone.yaml: broken symbolic link: its target does not exist",
        "error: deploy/pipe.yaml: is a named pipe, not a file",
    ]
    manifests = {f["manifest"] for f in json.loads(done.stdout)["findings"]}
    assert manifests == {"deploy/a.yaml", "deploy/nested/b.yaml"}


def test_unreadable_files_and_directories(tmp_path: Path, monkeypatch) -> None:
    """Simulated: the tests may run as root, who reads a mode-000 file anyway."""
    (tmp_path / "d" / "locked").mkdir(parents=True)
    good = tmp_path / "d" / "good.yaml"
    good.write_text(CLEAN)
    secret = tmp_path / "d" / "secret.yaml"
    secret.write_text(CLEAN)
    locked = tmp_path / "d" / "locked"
    real_open, real_scandir, real_access = Path.open, os.scandir, os.access

    def deny_open(self: Path, *args, **kw):  # type: ignore[no-untyped-def]
        if self == secret:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kw)

    def deny_scandir(path):  # type: ignore[no-untyped-def]
        # An fd too: the engine worker's temporary directory is removed with rmtree.
        if isinstance(path, (str, os.PathLike)) and Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(Path, "open", deny_open)
    monkeypatch.setattr(os, "scandir", deny_scandir)
    monkeypatch.setattr(os, "access", lambda p, m: Path(p) != locked and real_access(p, m))
    result = run_cli("check", "--engine", "embedded", "-f", "json", str(tmp_path / "d"))
    assert result.code == 2
    assert sorted(error_lines(result.err)) == [
        f"error: {locked}: cannot read directory: permission denied",
        f"error: {secret}: cannot read: permission denied",
    ]
    assert {f["manifest"] for f in json.loads(result.out)["findings"]} == {str(good)}


def test_garbage_on_stdin_is_named_dash() -> None:
    result = run_cli("check", "--engine", "embedded", "-f", "json", "-", stdin=b"a: 1\n\x00\xff")
    assert result.code == 2
    assert error_lines(result.err) == [
        "error: -:2:1: binary content (NUL byte); expected UTF-8 YAML or JSON text"
    ]


def test_a_name_used_twice_in_a_run(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(CLEAN)
    (tmp_path / "b.yaml").write_text(CLEAN)
    result: CliResult = run_cli("check", "--engine", "embedded", "-f", "json", str(tmp_path))
    assert result.code == 2
    assert any("phi-home" in line and ":3:" in line for line in error_lines(result.err))


@pytest.mark.parametrize(
    "args",
    [
        ["--timeout", "nan"],
        ["--timeout", "inf"],
        ["--opa-timeout", "NaN"],
        ["--opa-url", "http://[::1"],
        ["--opa-url", "http://[::1]:99999"],
        ["--as-of", "9999-12-31"],
    ],
)
def test_usage_mistakes_are_one_line_usage_errors(args: list[str], tmp_path: Path) -> None:
    waivers = tmp_path / "w.yaml"
    waivers.write_text("waivers: []\n")
    manifest = FIXTURES / "examples" / "defence-air-gapped.yaml"
    result = run_cli("check", "--waivers", str(waivers), *args, str(manifest))
    assert result.code == 2, result.err
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert "internal error" not in result.err


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "html", "junit", "sarif", "github"])
def test_a_lone_surrogate_in_a_json_id_is_an_input_error(fmt: str, tmp_path: Path) -> None:
    import yaml

    manifest = yaml.safe_load((FIXTURES / "examples" / "defence-air-gapped.yaml").read_text())
    stage = manifest["spec"]["stages"][0]["id"]
    text = json.dumps(manifest).replace(f'"{stage}"', '"a\\ud800b"', 1)
    path = tmp_path / "lone.json"
    path.write_text(text)
    result = run_cli("check", "--engine", "embedded", "-f", fmt, str(path))
    assert result.code == 2, result.err
    assert "internal error" not in result.err
    assert "lone surrogate" in result.err + result.out
    pair = tmp_path / "pair.json"
    pair.write_text(text.replace("a\\ud800b", "a\\ud83d\\ude00b"))
    assert "lone surrogate" not in run_cli("check", str(pair)).err
