"""The README's set-up and tour work as written: a newcomer's first impression.

Every command of the tour (the ```sh blocks under "## A short tour") runs, in order, in a
scratch directory that mirrors the repository, with the `tdcheck` this Python installed;
each must exit with the code its `# exit N` comment states (0 without one) and name only
files that exist when it runs.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import GO_BIN, ROOT

README = ROOT / "README.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
EXIT = re.compile(r"#.*\bexit (\d+)")
OUTPUT_FLAGS = {"-o", "--output", ">", ">>"}
FILE_SUFFIXES = (".yaml", ".yml", ".json", ".md", ".html", ".sarif", ".rego", ".xml")


def section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def commands(title: str) -> list[tuple[str, int]]:
    """(command, expected exit code) for each line of the section's ```sh blocks."""
    found = []
    for language, body in FENCE.findall(section(title)):
        if language != "sh":
            continue
        for line in body.splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                expected = EXIT.search(line)
                found.append((line.strip(), int(expected.group(1)) if expected else 0))
    return found


def named_files(command: str) -> list[str]:
    """The arguments that name an input file or directory (outputs excepted)."""
    tokens = shlex.split(command, comments=True)
    names = []
    for previous, token in zip(["", *tokens], tokens, strict=False):
        if previous in OUTPUT_FLAGS or token.startswith("-"):
            continue
        if "/" in token or token.endswith(FILE_SUFFIXES):
            names.append(token)
    return names


def mirror(tmp_path: Path) -> Path:
    """A scratch working directory whose entries are the repository's (symlinked), so the
    tour's outputs (demo/, reports) land there and not in the checkout."""
    work = tmp_path / "repo"
    work.mkdir()
    for entry in ROOT.iterdir():
        if not entry.name.startswith("."):
            (work / entry.name).symlink_to(entry)
    return work


def tour_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TDCHECK_")}
    if "TDCHECK_CACHE_DIR" in os.environ:  # the test session's policy cache (conftest)
        env["TDCHECK_CACHE_DIR"] = os.environ["TDCHECK_CACHE_DIR"]
    env["PYTHONPATH"] = str(ROOT)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def test_the_tour_starts_with_init_and_has_something_to_run() -> None:
    tour = [command for command, _ in commands("A short tour")]
    assert len(tour) >= 8, tour
    assert tour[0].startswith("tdcheck init "), "tdcheck init is the best starting point"
    assert any(code == 1 for _, code in commands("A short tour")), "show a failing check"


def test_every_tour_command_runs_as_the_readme_says(tmp_path: Path) -> None:
    env = tour_env()
    assert shutil.which("tdcheck", path=env["PATH"]), "tdcheck is not installed beside python"
    work = mirror(tmp_path)
    failures = []
    for command, expected in commands("A short tour"):
        missing = [name for name in named_files(command) if not (work / name).exists()]
        if missing:
            failures.append(f"{command}\n    names files that do not exist: {missing}")
            continue
        done = subprocess.run(
            ["bash", "-c", command],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode != expected:
            failures.append(
                f"{command}\n    exit {done.returncode}, the README says {expected}\n"
                f"    {done.stderr.strip()[-2000:]}"
            )
    assert not failures, "\n".join(failures)


def test_shown_output_is_what_the_command_prints(tmp_path: Path) -> None:
    """A ```console block of the tour shows `$ command` and lines of its output, `...` for
    lines left out: the lines shown are printed, in that order."""
    shown = [b for language, b in FENCE.findall(section("A short tour")) if language == "console"]
    assert shown, "the tour shows no output"
    work = mirror(tmp_path)
    for block in shown:
        first, *expected = block.splitlines()
        assert first.startswith("$ "), block
        done = subprocess.run(
            ["bash", "-c", first[2:]], cwd=work, env=tour_env(), capture_output=True, text=True
        )
        printed = iter(done.stdout.splitlines())
        for line in expected:
            if line.strip() != "...":
                assert any(out == line for out in printed), f"{first}: not printed: {line}"


def test_setup_commands_use_the_venv_and_files_that_exist() -> None:
    setup = commands("Set up")
    assert [code for _, code in setup] == [0, 0]
    (install, _), (run_tests, _) = setup
    assert install.startswith("python3 -m venv .venv && .venv/bin/pip install ")
    assert ".venv/bin/tdcheck check fixtures/examples/" in install
    assert (ROOT / "fixtures" / "examples").is_dir()
    assert "source .venv/bin/activate" in section("Set up"), "say how tdcheck gets on PATH"
    assert run_tests == "tools/setup && .venv/bin/python -m pytest -q"


def test_ci_runs_the_same_setup_and_test_command() -> None:
    """.ci/run installs with tools/setup and runs the README's test command; the tests find
    the Go tools where tools/setup builds them."""
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert "tools/setup" in ci
    assert ".venv/bin/python -m pytest -q" in ci
    assert ci.index("tools/setup") < ci.index(".venv/bin/python -m pytest -q")
    setup = (ROOT / "tools" / "setup").read_text(encoding="utf-8")
    assert 'GOBIN="$PWD/.venv/go-bin"' in setup
    assert os.access(ROOT / "tools" / "setup", os.X_OK)
    assert GO_BIN == ROOT / ".venv" / "go-bin"


@pytest.mark.parametrize(
    ("command", "names"),
    [
        ("tdcheck check deploy/clinical-notes.yaml", ["deploy/clinical-notes.yaml"]),
        ("tdcheck report fixtures/violations/ -o audit.html  # exit 1", ["fixtures/violations/"]),
        ("tdcheck schema > manifest.schema.json", []),
        ("tdcheck init demo", []),
    ],
)
def test_named_files_are_the_inputs(command: str, names: list[str]) -> None:
    assert named_files(command) == names
