"""Non-manifests never fail a run (manifest-v1.md v1.1): a cheap look decides, before any
strict parse, whether a walked or pre-commit file is a manifest; one that declares itself a
manifest and does not load is still an input error with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.loader.sniff import declares_manifest
from tests.conftest import run_cli
from tests.infra_files import ORDINARY, write_lock_file
from tests.test_cli import CLEAN, PHI_ABROAD


@pytest.mark.parametrize(
    "text",
    [
        "apiVersion: tdcheck/v1\nkind: TrainingDeployment\n",
        "# deployment\nkind: TrainingDeployment\n",
        "kind: 'TrainingDeployment'\n",
        '"kind": "TrainingDeployment"\n',
        "apiVersion: tdcheck/v2\n",
        "kind:\n  TrainingDeployment\n",
        "kind: !!str TrainingDeployment\n",
        "kind: &k TrainingDeployment\n",
        "a: 1\n---\nkind: TrainingDeployment\n",
        "--- {apiVersion: tdcheck/v1}\n",
        '{"metadata":{"name":"x"},"kind":"TrainingDeployment"}',
        '{\n  "apiVersion": "tdcheck/v1"\n}\n',
        "{metadata: {name: x}, kind: TrainingDeployment}\n",
    ],
)
def test_the_cheap_look_sees_every_way_of_declaring_a_manifest(text: str) -> None:
    assert declares_manifest(text.encode())


def test_the_cheap_look_reads_byte_order_marks() -> None:
    # UTF-16 is still parsed, so the user learns it must be UTF-8 instead of having it skipped.
    assert declares_manifest("kind: TrainingDeployment\n".encode("utf-16"))
    assert declares_manifest("apiVersion: tdcheck/v1\nkind: X\n".encode("utf-8-sig"))
    assert declares_manifest(b"apiVersion: tdcheck/v1\r\nkind: TrainingDeployment\r\n")


@pytest.mark.parametrize(
    "text",
    [
        "kind: Deployment\n",
        "kind: TrainingDeploymentList\n",
        "# kind: TrainingDeployment\n",
        "subkind: TrainingDeployment\n",
        "description: a TrainingDeployment, tdcheck/v1\n",
        # A manifest quoted in a CI script is not this file declaring itself one.
        "job:\n  script: |\n    cat > m.yaml <<EOF\n    kind: TrainingDeployment\n    EOF\n",
        "apiVersion: apps/v1\n",
        *ORDINARY.values(),
    ],
)
def test_the_cheap_look_ignores_files_that_only_mention_it(text: str) -> None:
    assert not declares_manifest(text.encode())


@pytest.fixture
def walked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "repo" / "deploy").mkdir(parents=True)
    (tmp_path / "repo" / "deploy" / "good.yaml").write_text(CLEAN)
    return tmp_path / "repo"


@pytest.mark.parametrize("name", sorted(ORDINARY))
def test_an_ordinary_file_in_a_walk_is_skipped_with_a_notice(walked: Path, name: str) -> None:
    path = walked / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(ORDINARY[name])
    result = run_cli("check", "--engine", "embedded", "-v", "repo")
    assert result.code == 0, result.err
    if not name.startswith(".vscode/"):  # hidden directories are not walked at all
        assert f"notice: repo/{name}: skipped, not a manifest" in result.err
    assert "error" not in result.err


@pytest.mark.parametrize("name", sorted(ORDINARY))
def test_an_ordinary_file_passed_by_pre_commit_is_skipped(walked: Path, name: str) -> None:
    path = walked / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(ORDINARY[name])
    result = run_cli("check", "--skip-non-manifests", "--engine", "embedded", f"repo/{name}")
    assert result.code == 0, result.err
    assert "error" not in result.err


def test_an_ordinary_file_named_on_the_command_line_is_still_an_error(walked: Path) -> None:
    (walked / "stack.yaml").write_text(ORDINARY["infra/cloudformation/checkpoints.yaml"])
    result = run_cli("check", "--engine", "embedded", "repo/stack.yaml")
    assert result.code == 2
    expected = "repo/stack.yaml:11:19: $.Resources.CheckpointBucket.Properties.BucketName: tag !Sub"
    assert expected in result.out + result.err


def test_a_declared_manifest_that_does_not_load_is_an_error_with_its_line(walked: Path) -> None:
    broken = PHI_ABROAD.replace("country: DE", "country: !Ref Country")
    (walked / "deploy" / "broken.yaml").write_text(broken)
    for args in (["repo"], ["--skip-non-manifests", "repo/deploy/broken.yaml"]):
        result = run_cli("check", "--engine", "embedded", *args)
        assert result.code == 2, result.out + result.err
        assert "repo/deploy/broken.yaml:17:16: $.spec.locations[1].country: tag !Ref" in (
            result.out + result.err
        )


def test_json_with_comments_that_declares_a_manifest_is_an_error(walked: Path) -> None:
    (walked / "deploy" / "m.json").write_text('{\n  // ours\n  "kind": "TrainingDeployment"\n}\n')
    result = run_cli("check", "--engine", "embedded", "repo")
    assert result.code == 2
    assert "repo/deploy/m.json:2:3: JSON syntax error" in result.out + result.err


def test_an_oversized_lock_file_is_skipped_but_an_oversized_manifest_is_not(
    walked: Path,
) -> None:
    write_lock_file(walked / "web" / "package-lock.json", size=9 * 1024 * 1024)
    result = run_cli("check", "--engine", "embedded", "repo")
    assert result.code == 0, result.err
    padding = "#" + "x" * 1000 + "\n"
    (walked / "deploy" / "huge.yaml").write_text(CLEAN + padding * 9000)
    result = run_cli("check", "--engine", "embedded", "repo")
    assert result.code == 2
    assert "repo/deploy/huge.yaml: file is" in result.out + result.err
    assert "larger than the limit" in result.out + result.err


def test_an_invalid_exclude_is_one_line_and_exit_2(walked: Path) -> None:
    result = run_cli("check", "--engine", "embedded", "--exclude", "[z-a]", "repo")
    assert result.code == 2
    expected = "--exclude '[z-a]': not a valid gitignore pattern (bad character range z-a)"
    assert result.err == f"tdcheck: error: {expected}\n"


@pytest.mark.parametrize(
    "setup",
    ["empty", "hidden", "excluded", "ordinary-only", "gitignored"],
)
def test_a_run_that_checks_no_manifest_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setup: str
) -> None:
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "deploy"
    root.mkdir()
    args = ["deploy"]
    if setup == "hidden":
        (root / ".drafts").mkdir()
        (root / ".drafts" / "m.yaml").write_text(CLEAN)
    elif setup == "excluded":
        (root / "m.yaml").write_text(CLEAN)
        args = ["--exclude", "*.yaml", "deploy"]
    elif setup == "ordinary-only":
        (root / "stack.yaml").write_text(ORDINARY["infra/cloudformation/checkpoints.yaml"])
    elif setup == "gitignored":
        (root / "m.yaml").write_text(CLEAN)
        (root / ".gitignore").write_text("m.yaml\n")
    result = run_cli("check", "--engine", "embedded", *args)
    assert result.code == 2
    assert result.out.startswith("error deploy: no manifests found (no file declares kind: ")


def test_a_walk_finds_a_manifest_even_with_the_pre_commit_flag(tmp_path: Path) -> None:
    """--skip-non-manifests (set in a config file for pre-commit) exempts file lists only:
    a directory given to a CI gate must still hold a manifest."""
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "mkdocs.yml").write_text(ORDINARY["mkdocs.yml"])
    result = run_cli("check", "--skip-non-manifests", str(tmp_path / "deploy"))
    assert result.code == 2
    assert "no manifests found" in result.out


def test_no_manifests_found_names_each_path_given(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
    result = run_cli("check", "--engine", "embedded", str(tmp_path / "a"), str(tmp_path / "b"))
    assert result.code == 2
    errors = [line for line in result.out.splitlines() if line.startswith("error ")]
    assert [line.split(": ")[0] for line in errors] == [
        f"error {tmp_path / 'a'}",
        f"error {tmp_path / 'b'}",
    ]


def test_a_pre_commit_file_list_without_a_manifest_is_clean(walked: Path) -> None:
    for name in ("mkdocs.yml", ".gitlab-ci.yml"):
        (walked / name).write_text(ORDINARY[name])
    result = run_cli(
        "check",
        "--engine",
        "embedded",
        "--skip-non-manifests",
        "repo/mkdocs.yml",
        "repo/.gitlab-ci.yml",
    )
    assert result.code == 0, result.out + result.err
    assert "no manifests found" not in result.out + result.err
