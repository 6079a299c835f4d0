"""Configuration: pyproject.toml [tool.tdcheck] or .tdcheck.yaml; flag > env > file > default."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.test_cli import PHI_ABROAD


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory with a manifest that fails one error-severity rule."""
    monkeypatch.chdir(tmp_path)
    for name in ("TDCHECK_FAIL_ON", "TDCHECK_FORMAT", "TDCHECK_ENGINE", "TDCHECK_WAIVERS"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "m.yaml").write_text(PHI_ABROAD)
    return tmp_path


def check(*args: str) -> tuple[int, str]:
    result = run_cli("check", *args, "m.yaml")
    return result.code, result.out + result.err


def output_format(out: str) -> str:
    return "json" if out.lstrip().startswith("{") else "text"


@pytest.mark.parametrize("style", ["yaml", "pyproject"])
def test_each_level_overrides_the_next(
    project: Path, monkeypatch: pytest.MonkeyPatch, style: str
) -> None:
    # default: fail-on error (the residency failure gives 1), text output
    code, out = check("--engine", "embedded")
    assert (code, output_format(out)) == (1, "text")
    # file beats default
    if style == "yaml":
        (project / ".tdcheck.yaml").write_text("fail_on: never\nformat: json\nengine: embedded\n")
    else:
        (project / "pyproject.toml").write_text(
            '[project]\nname = "infra"\n\n[tool.tdcheck]\n'
            'fail-on = "never"\nformat = "json"\nengine = "embedded"\n'
        )
    code, out = check()
    assert (code, output_format(out)) == (0, "json")
    # environment beats file
    monkeypatch.setenv("TDCHECK_FAIL_ON", "error")
    monkeypatch.setenv("TDCHECK_FORMAT", "text")
    code, out = check()
    assert (code, output_format(out)) == (1, "text")
    # flag beats environment
    code, out = check("--fail-on", "never", "-f", "json")
    assert (code, output_format(out)) == (0, "json")


def test_list_options_and_paths_in_the_file(project: Path) -> None:
    (project / "org.yaml").write_text("tdcheck:\n  org:\n    phi_allowed_countries: [US, DE]\n")
    (project / ".tdcheck.yaml").write_text("engine: embedded\ndata: org.yaml\n")
    assert check()[0] == 0  # DE allowed by the organisation's data named in the file
    (project / ".tdcheck.yaml").write_text(
        "engine: embedded\ndata: [org.yaml]\nframework: [hipaa]\n"
    )
    assert check()[0] == 0


def test_waivers_option_in_the_file(project: Path) -> None:
    (project / "exceptions.yaml").write_text(
        "waivers:\n  - {rule: HIPAA-RES-001, reason: r, approved_by: a, expires: 2026-07-01}\n"
    )
    (project / ".tdcheck.yaml").write_text("waivers: exceptions.yaml\nas-of: 2026-06-01\n")
    code, out = check("--engine", "embedded")
    assert code == 0 and "1 waived" in out


def test_run_options_do_not_leak_into_other_commands(project: Path) -> None:
    # `rules -f` knows only text and json; a file's `format: sarif` is for checking.
    (project / ".tdcheck.yaml").write_text("format: sarif\nfail-on: never\n")
    result = run_cli("rules", "--framework", "hipaa")
    assert result.code == 0 and "HIPAA-RES-001" in result.out


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (".tdcheck.yaml", "fail_onn: never\n", ".tdcheck.yaml:1:11: unknown option 'fail-onn'"),
        (".tdcheck.yaml", "format: json\nfail-on: nope\n", ".tdcheck.yaml:2:10: fail-on: 'nope'"),
        (".tdcheck.yaml", "waivers: [a, b]\n", ".tdcheck.yaml:1:10: waivers: expected one value"),
        (".tdcheck.yaml", "quiet: yes\n", ".tdcheck.yaml:1:8: quiet: expected true or false"),
        (".tdcheck.yaml", "- fail-on\n", ".tdcheck.yaml:1:1: expected one mapping"),
        (".tdcheck.yaml", "force: true\n", ".tdcheck.yaml:1:8: unknown option 'force'"),
        (
            ".tdcheck.yaml",
            "fail-on: never\nfail_on: error\n",
            ".tdcheck.yaml:2:10: option 'fail-on' is set twice",
        ),
        (
            "pyproject.toml",
            '[tool.tdcheck]\nformat = "json"\n  colour = true\n',
            "pyproject.toml:3:3: unknown option 'colour'",
        ),
        ("pyproject.toml", "[tool.tdcheck]\nformat = \n", "pyproject.toml:2:10: invalid TOML"),
    ],
)
def test_bad_configuration_is_one_located_error_exit_2(
    project: Path, name: str, text: str, expected: str
) -> None:
    (project / name).write_text(text)
    result = run_cli("check", "m.yaml")
    assert result.code == 2
    assert result.err.startswith(f"tdcheck: error: {expected}"), result.err
    assert "Traceback" not in result.err


def test_both_files_is_an_error(project: Path) -> None:
    (project / ".tdcheck.yaml").write_text("format: json\n")
    (project / "pyproject.toml").write_text('[tool.tdcheck]\nformat = "text"\n')
    result = run_cli("check", "m.yaml")
    assert result.code == 2 and "keep one of the two" in result.err


def test_pyproject_without_a_tdcheck_table_is_ignored(project: Path) -> None:
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n[tool.ruff]\nline-length = 1\n')
    (project / ".tdcheck.yaml").write_text("format: json\nengine: embedded\n")
    code, out = check()
    assert output_format(out) == "json" and code == 1


# Discovery: from the working directory up to the repository root


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository (a .git directory) with the failing manifest two levels down."""
    for name in ("TDCHECK_FAIL_ON", "TDCHECK_FORMAT", "TDCHECK_ENGINE", "TDCHECK_WAIVERS"):
        monkeypatch.delenv(name, raising=False)
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "deploy" / "prod").mkdir(parents=True)
    (root / "deploy" / "prod" / "m.yaml").write_text(PHI_ABROAD)
    monkeypatch.chdir(root / "deploy" / "prod")
    return root


@pytest.mark.parametrize("style", ["yaml", "pyproject"])
def test_the_repository_root_configuration_applies_in_a_subdirectory(
    repo: Path, style: str
) -> None:
    if style == "yaml":
        (repo / ".tdcheck.yaml").write_text("fail-on: never\nformat: json\nengine: embedded\n")
    else:
        (repo / "pyproject.toml").write_text(
            '[tool.tdcheck]\nfail-on = "never"\nformat = "json"\nengine = "embedded"\n'
        )
    code, out = check()
    assert (code, output_format(out)) == (0, "json")


def test_the_nearest_configuration_wins_and_the_search_stops_at_the_repository_root(
    repo: Path,
) -> None:
    (repo.parent / ".tdcheck.yaml").write_text("fail-on: never\n")  # above the repository
    assert check("--engine", "embedded")[0] == 1
    (repo / ".tdcheck.yaml").write_text("format: json\n")
    (repo / "deploy" / ".tdcheck.yaml").write_text("fail-on: never\n")
    code, out = check("--engine", "embedded")
    assert (code, output_format(out)) == (0, "text")  # one file wins; they do not merge


def test_outside_a_repository_only_the_working_directory_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".tdcheck.yaml").write_text("fail-on: never\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "m.yaml").write_text(PHI_ABROAD)
    monkeypatch.chdir(tmp_path / "sub")
    monkeypatch.delenv("TDCHECK_FAIL_ON", raising=False)
    assert check("--engine", "embedded")[0] == 1


def test_paths_in_a_parent_configuration_are_relative_to_it(repo: Path) -> None:
    (repo / "org").mkdir()
    (repo / "org" / "data.yaml").write_text(
        "tdcheck:\n  org:\n    phi_allowed_countries: [US, DE]\n"
    )
    (repo / ".tdcheck.yaml").write_text("engine: embedded\ndata: [org/data.yaml]\n")
    code, out = check()
    assert code == 0, out


def test_the_default_waivers_file_is_found_up_to_the_repository_root(repo: Path) -> None:
    (repo / ".tdcheck-waivers.yaml").write_text(
        "waivers:\n  - {rule: HIPAA-RES-001, reason: r, approved_by: a, expires: 2026-07-01}\n"
    )
    code, out = check("--engine", "embedded", "--as-of", "2026-06-01")
    assert code == 0 and "1 waived" in out


def test_an_error_in_a_parent_configuration_names_it_relative_to_here(repo: Path) -> None:
    (repo / ".tdcheck.yaml").write_text("fail_onn: never\n")
    result = run_cli("check", "m.yaml")
    assert result.code == 2
    assert result.err.startswith("tdcheck: error: ../../.tdcheck.yaml:1:11: unknown option")


def test_config_command_says_where_each_setting_comes_from(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "pyproject.toml").write_text(
        '[project]\nname = "infra"\n\n[tool.tdcheck]\nfail-on = "warning"\nformat = "json"\n'
        'waivers = "exceptions.yaml"\n'
    )
    monkeypatch.setenv("TDCHECK_FORMAT", "sarif")
    result = run_cli("config", "--engine", "opa")
    assert result.code == 0, result.err
    rows = {line.split()[0]: line.split(None, 2)[1:] for line in result.out.splitlines()[1:]}
    assert result.out.splitlines()[0] == "configuration file: ../../pyproject.toml [tool.tdcheck]"
    assert rows["fail-on"] == ["warning", "file ../../pyproject.toml:5:1"]
    assert rows["format"] == ["sarif", "env TDCHECK_FORMAT"]
    assert rows["engine"] == ["opa", "flag --engine"]
    assert rows["timeout"] == ["30.0", "default"]
    assert rows["waivers"] == ["../../exceptions.yaml", "file ../../pyproject.toml:7:1"]
