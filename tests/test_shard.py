"""`--shard K/N`: N jobs together check every input exactly once, whatever is added elsewhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.errors import UsageError
from checker.loader import InputRef
from checker.shard import Shard
from tests.conftest import run_cli
from tests.test_cli import CLEAN, PHI_ABROAD


def _refs(names: list[str]) -> list[InputRef]:
    return [InputRef(name, Path(name), False) for name in names]


def _paths(shard: Shard, names: list[str]) -> list[str]:
    return [ref.display for ref in shard.split(_refs(names))[0]]


NAMES = [f"deploy/team{t}/m{i}.yaml" for t in range(5) for i in range(40)]


@pytest.mark.parametrize("count", [1, 2, 3, 7])
def test_the_shards_partition_the_inputs(count: int) -> None:
    shards = [_paths(Shard(k, count), NAMES) for k in range(1, count + 1)]
    together = [name for share in shards for name in share]
    assert sorted(together) == sorted(NAMES)  # each input exactly once
    if count > 1:
        assert all(share for share in shards)  # 200 inputs: no shard left empty


def test_a_file_keeps_its_shard_when_others_are_added_or_removed() -> None:
    shard = Shard(2, 4)
    before = set(_paths(shard, NAMES))
    more = [*NAMES[::2], *(f"new/x{i}.yaml" for i in range(50))]
    after = set(_paths(shard, more))
    assert before & set(more) == after & set(NAMES)


def test_the_partition_depends_on_the_path_alone() -> None:
    """The same path spelt with ./ (or backslashes) falls in the same shard in every job."""
    shard = Shard(1, 3)
    held = set(_paths(shard, NAMES))
    for name in NAMES:
        assert (f"./{name}" in _paths(shard, [f"./{name}"])) == (name in held)
    # Pinned: changing the hash would move files between the jobs of every user's matrix
    # (and so between their result caches).
    assert [k for k in (1, 2, 3) if Shard(k, 3).holds("deploy/a.yaml")] == [2]
    assert [k for k in (1, 2, 3, 4) if Shard(k, 4).holds("manifests/train.yaml")] == [1]


@pytest.mark.parametrize("text", ["0/3", "4/3", "1/0", "3", "a/b", "-1/2", "1/2/3"])
def test_a_bad_shard_is_a_one_line_usage_error(text: str, tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        Shard.parse(text)
    (tmp_path / "a.yaml").write_text(CLEAN)
    result = run_cli("check", "--shard", text, str(tmp_path))
    assert result.code == 2
    assert result.err.count("\n") == 1 and "--shard" in result.err, result.err


def _repo(tmp_path: Path, count: int) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    for i in range(count):
        text = PHI_ABROAD if i % 2 else CLEAN
        (repo / f"m{i}.yaml").write_text(text.replace("name: phi-", f"name: m{i}-phi-"))
    return repo


def _checked(result_out: str) -> list[str]:
    return sorted(item["path"] for item in json.loads(result_out)["inputs"])


def test_cli_env_and_config_file_give_the_same_share(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _repo(tmp_path, 6)
    monkeypatch.chdir(tmp_path)
    base = ("check", "--engine", "embedded", "-f", "json", "--fail-on", "never", "repo")
    whole = _checked(run_cli(*base).out)
    shares = [_checked(run_cli(*base, "--shard", f"{k}/2").out) for k in (1, 2)]
    assert sorted(shares[0] + shares[1]) == whole and not set(shares[0]) & set(shares[1])
    monkeypatch.setenv("TDCHECK_SHARD", "2/2")
    assert _checked(run_cli(*base).out) == shares[1]
    monkeypatch.delenv("TDCHECK_SHARD")
    (tmp_path / ".tdcheck.yaml").write_text("shard: 1/2\n")
    assert _checked(run_cli(*base).out) == shares[0]
    assert repo.is_dir()


def test_an_empty_shard_of_a_non_empty_input_set_passes_with_a_notice(tmp_path: Path) -> None:
    repo = _repo(tmp_path, 1)
    empty = next(k for k in (1, 2, 3) if not Shard(k, 3).holds(f"{repo}/m0.yaml"))
    result = run_cli("check", "--engine", "embedded", "--shard", f"{empty}/3", str(repo))
    assert result.code == 0, result.err
    assert f"notice: shard {empty}/3 holds none of the 1 input file(s) found" in result.err
    quiet = run_cli("check", "-q", "--engine", "embedded", "--shard", f"{empty}/3", str(repo))
    assert quiet.code == 0 and "notice" not in quiet.err


def test_a_shard_of_files_without_manifests_passes_only_if_another_shard_has_one(
    tmp_path: Path,
) -> None:
    repo = _repo(tmp_path, 1)
    (repo / "m0.yaml").write_text("kind: ConfigMap\nmetadata: {name: x}\n")
    shard = next(k for k in (1, 2) if Shard(k, 2).holds(f"{repo}/m0.yaml"))
    # No shard holds a manifest: the gate points at the wrong folder, whatever the shard.
    nowhere = run_cli("check", "--engine", "embedded", "--shard", f"{shard}/2", str(repo))
    assert nowhere.code == 2 and "no manifests found" in nowhere.out + nowhere.err
    other = next(
        name
        for name in (f"x{i}.yaml" for i in range(100))
        if not Shard(shard, 2).holds(f"{repo}/{name}")
    )
    (repo / other).write_text(CLEAN)
    result = run_cli("check", "--engine", "embedded", "--shard", f"{shard}/2", str(repo))
    assert result.code == 0, result.err
    assert f"shard {shard}/2 holds 1 of the 2 input file(s) found, no manifest" in result.err
