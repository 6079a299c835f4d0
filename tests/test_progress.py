"""Progress bar and colour: only on a terminal, unless forced; never in piped output."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from checker.cli import main
from checker.progress import ProgressBar
from tests.conftest import ROOT

EXAMPLE = (ROOT / "tests" / "data" / "example-manifest.yaml").read_text()
BROKEN = "apiVersion: tdcheck/v1\nkind: TrainingDeployment\nmetadata: {name: broken}\nspec: {}\n"
ESC = "\033["


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(
    *argv: str, stdout: io.StringIO | None = None, stderr: io.StringIO | None = None
) -> tuple[int, str, str]:
    out, err = stdout or io.StringIO(), stderr or io.StringIO()
    code = main(list(argv), stdout=out, stderr=err, stdin=io.BytesIO())
    return code, out.getvalue(), err.getvalue()


def many_manifests(tmp_path: Path, count: int) -> str:
    for i in range(count):
        name = f"card-fraud-{i}"
        (tmp_path / f"m{i:02}.yaml").write_text(EXAMPLE.replace("card-fraud-retraining", name))
    return str(tmp_path)


def test_bar_draws_in_place_for_many_items_and_erases_itself() -> None:
    stream = io.StringIO()
    bar = ProgressBar(stream, min_items=10, width=10)
    for done in range(20):
        bar("load", done, 20)
    bar.close()
    text = stream.getvalue()
    assert text.startswith("\rtdcheck: reading    [----------] 0/20")
    assert "\rtdcheck: reading    [#####-----] 10/20" in text
    assert text.endswith("\r\033[K") and "\n" not in text


def test_bar_stays_silent_for_few_items() -> None:
    stream = io.StringIO()
    bar = ProgressBar(stream, min_items=10)
    for done in range(3):
        bar("load", done, 3)
    bar.close()
    assert stream.getvalue() == ""


def test_progress_on_a_terminal_stderr_only_and_not_with_no_progress(tmp_path: Path) -> None:
    directory = many_manifests(tmp_path, 12)
    code, _, err = run("validate", directory, stderr=Terminal())
    assert code == 0 and "\rtdcheck: reading" in err and "\r\033[K" in err
    _, _, piped = run("validate", directory)
    assert "\r" not in piped
    _, _, off = run("validate", directory, "--no-progress", stderr=Terminal())
    assert "\r" not in off
    _, _, quiet = run("validate", directory, "-q", stderr=Terminal())
    assert "\r" not in quiet


def test_no_bar_for_a_few_files_even_on_a_terminal(tmp_path: Path) -> None:
    _, _, err = run("validate", many_manifests(tmp_path, 2), stderr=Terminal())
    assert "\r" not in err


@pytest.mark.parametrize(
    ("flags", "tty", "no_color_env", "coloured"),
    [
        ((), True, False, True),
        ((), False, False, False),
        ((), True, True, False),
        (("--color", "never"), True, False, False),
        (("--no-color",), True, False, False),
        (("--color", "always"), False, False, True),
        (("--color", "always"), False, True, True),
    ],
)
def test_colour_only_on_a_terminal_unless_forced(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    flags: tuple[str, ...],
    tty: bool,
    no_color_env: bool,
    coloured: bool,
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    if no_color_env:
        monkeypatch.setenv("NO_COLOR", "1")
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN)
    code, out, _ = run("validate", str(path), *flags, stdout=Terminal() if tty else None)
    assert code == 2 and "broken.yaml" in out
    assert (ESC in out) is coloured


def test_core_reports_loading_and_evaluation_through_the_callback(tmp_path: Path) -> None:
    from checker.run import RunOptions, execute

    calls: list[tuple[str, int, int]] = []
    directory = many_manifests(tmp_path, 3)
    options = RunOptions(paths=(directory,), as_of="2026-11-28", engine="embedded")
    report = execute(options, progress=lambda *call: calls.append(call))
    assert report.manifests_valid == 3
    assert calls == [("load", 0, 3), ("load", 1, 3), ("load", 2, 3), ("evaluate", 0, 3)]
