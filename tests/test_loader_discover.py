"""Finding inputs: walks, ordering, excludes, hidden and looping directories, stdin."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from checker.loader import InputRef, Limits, discover, load_ref


def touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text('{"a": 1}\n', encoding="utf-8")  # valid as YAML and as JSON


def walked(root: Path, *excludes: str) -> list[str]:
    """Display paths as if the command line named the tree relative to the working directory."""
    return [ref.display for ref in discover([root.name], excludes)]


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "tree"
    touch(
        root,
        "b.yaml",
        "a.yml",
        "c.json",
        "notes.txt",
        "README.md",
        "sub/z.yaml",
        "sub/deeper/y.json",
        "a/x.yaml",
        ".git/config.yaml",
        ".hidden/h.yaml",
    )
    return root


def test_walk_is_recursive_sorted_and_filtered_by_extension(tree: Path) -> None:
    assert walked(tree) == [
        "tree/a/x.yaml",
        "tree/a.yml",
        "tree/b.yaml",
        "tree/c.json",
        "tree/sub/deeper/y.json",
        "tree/sub/z.yaml",
    ]


def test_walked_files_are_not_explicit_and_carry_their_path(tree: Path) -> None:
    refs = list(discover(["tree"]))
    assert all(not ref.explicit for ref in refs)
    assert all(ref.path is not None and ref.path.is_file() for ref in refs)
    assert refs[0].path == Path("tree") / "a" / "x.yaml"


def test_hidden_directories_are_skipped(tree: Path) -> None:
    assert not any("/." in display for display in walked(tree))


def test_hidden_directory_named_explicitly_is_walked(tree: Path) -> None:
    assert [ref.display for ref in discover(["tree/.hidden"])] == ["tree/.hidden/h.yaml"]


def test_trailing_slash_on_the_command_line_does_not_double(tree: Path) -> None:
    assert [ref.display for ref in discover(["tree/sub/"])] == [
        "tree/sub/deeper/y.json",
        "tree/sub/z.yaml",
    ]


def test_explicit_file_is_yielded_whatever_its_extension(tree: Path) -> None:
    assert list(discover(["tree/notes.txt", "tree/b.yaml"])) == [
        InputRef("tree/notes.txt", Path("tree/notes.txt"), True),
        InputRef("tree/b.yaml", Path("tree/b.yaml"), True),
    ]


def test_command_line_order_is_kept(tree: Path) -> None:
    displays = [ref.display for ref in discover(["tree/sub", "tree/b.yaml"])]
    assert displays == ["tree/sub/deeper/y.json", "tree/sub/z.yaml", "tree/b.yaml"]


def test_exclude_directory_pattern(tree: Path) -> None:
    touch(tree, "vendor/v.yaml", "sub/vendor/w.yaml")
    assert not any("vendor" in display for display in walked(tree, "vendor/"))


def test_directory_only_pattern_does_not_exclude_a_file(tree: Path) -> None:
    touch(tree, "vendor.yaml")
    assert "tree/vendor.yaml" in walked(tree, "vendor/")


def test_exclude_name_glob_matches_at_any_depth(tree: Path) -> None:
    touch(tree, "app.tmpl.yaml", "sub/svc.tmpl.yaml")
    found = walked(tree, "*.tmpl.yaml")
    assert "tree/app.tmpl.yaml" not in found
    assert "tree/sub/svc.tmpl.yaml" not in found
    assert "tree/b.yaml" in found


def test_exclude_double_star_under_a_directory(tree: Path) -> None:
    touch(tree, "build/out.yaml", "build/deep/er.json", "rebuild/keep.yaml")
    found = walked(tree, "build/**")
    assert not any(display.startswith("tree/build/") for display in found)
    assert "tree/rebuild/keep.yaml" in found


def test_exclude_anchored_path(tree: Path) -> None:
    found = walked(tree, "sub/z.yaml")
    assert "tree/sub/z.yaml" not in found
    assert "tree/sub/deeper/y.json" in found


def test_exclude_leading_double_star(tree: Path) -> None:
    found = walked(tree, "**/deeper")
    assert "tree/sub/deeper/y.json" not in found
    assert "tree/sub/z.yaml" in found


def test_excludes_do_not_drop_explicit_files(tree: Path) -> None:
    refs = list(discover(["tree/b.yaml"], ["*.yaml"]))
    assert [ref.display for ref in refs] == ["tree/b.yaml"]


def test_symlink_loop_does_not_hang(tree: Path) -> None:
    (tree / "sub" / "loop").symlink_to("..", target_is_directory=True)
    (tree / "sub" / "self").symlink_to(".", target_is_directory=True)
    found = walked(tree)
    assert len(found) == len(set(found)) == 6


def test_symlinked_directory_outside_the_tree_is_followed(tree: Path, tmp_path: Path) -> None:
    touch(tmp_path, "elsewhere/e.yaml")
    (tree / "link").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    assert "tree/link/e.yaml" in walked(tree)


def test_broken_symlink_is_yielded_and_fails_when_loaded(tree: Path) -> None:
    (tree / "dangling.yaml").symlink_to(tree / "missing-target.yaml")
    refs = [ref for ref in discover(["tree"]) if ref.display == "tree/dangling.yaml"]
    assert len(refs) == 1
    loaded = load_ref(refs[0])
    assert loaded.documents == ()
    assert loaded.errors[0].one_line() == (
        "tree/dangling.yaml: broken symbolic link: its target does not exist"
    )


def test_missing_path_is_yielded_and_fails_when_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    refs = list(discover(["nope.yaml"]))
    assert refs == [InputRef("nope.yaml", Path("nope.yaml"), True)]
    loaded = load_ref(refs[0])
    assert loaded.errors[0].one_line() == "nope.yaml: no such file or directory"
    assert loaded.explicit


def test_stdin_dash(tmp_path: Path) -> None:
    refs = list(discover(["-"]))
    assert refs == [InputRef("-", None, True)]
    loaded = load_ref(refs[0], Limits(), io.BytesIO(b"a: 1\n---\nb: NO\n"))
    assert loaded.source == "-"
    assert [doc.value for doc in loaded.documents] == [{"a": 1}, {"b": "NO"}]


def test_stdin_is_size_bounded(tmp_path: Path) -> None:
    loaded = load_ref(InputRef("-", None, True), Limits(max_bytes=8), io.BytesIO(b"a: 1\n" * 10))
    assert loaded.documents == ()
    assert "larger than the limit of 8 bytes" in loaded.errors[0].message


def test_load_ref_keeps_the_walk_flag_and_display(tree: Path) -> None:
    ref = next(iter(discover(["tree/sub"])))
    loaded = load_ref(ref)
    assert loaded.source == "tree/sub/deeper/y.json"
    assert not loaded.explicit
    assert loaded.errors == ()
    assert loaded.documents[0].value == {"a": 1}


def test_unreadable_directory_in_a_walk_is_reported(tree: Path) -> None:
    locked = tree / "locked"
    touch(locked, "l.yaml")
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running with privileges that read a mode-000 directory")
        refs = [ref for ref in discover(["tree"]) if ref.display == "tree/locked"]
        assert len(refs) == 1
        assert "permission denied" in load_ref(refs[0]).errors[0].message
    finally:
        locked.chmod(0o755)


# .gitignore files, vendored directories and --exclude through pathspec (gitignore rules)


def git_repo(root: Path) -> None:
    (root / ".git" / "info").mkdir(parents=True)


def test_gitignore_files_are_honoured_with_negation_and_nesting(tree: Path) -> None:
    touch(tree, "gen/out.yaml", "sub/keep.tmp.yaml", "sub/drop.tmp.yaml", "sub/deeper/x.yaml")
    (tree / ".gitignore").write_text("# generated\ngen/\n*.tmp.yaml\n!keep.tmp.yaml\n")
    (tree / "sub" / "deeper" / ".gitignore").write_text("/x.yaml\n")
    assert walked(tree) == [
        "tree/a/x.yaml",
        "tree/a.yml",
        "tree/b.yaml",
        "tree/c.json",
        "tree/sub/deeper/y.json",
        "tree/sub/keep.tmp.yaml",
        "tree/sub/z.yaml",
    ]


def test_a_deeper_gitignore_re_includes_what_a_shallower_one_ignores(tree: Path) -> None:
    (tree / ".gitignore").write_text("*.json\n")
    (tree / "sub" / ".gitignore").write_text("!*.json\n")
    found = walked(tree)
    assert "tree/c.json" not in found
    assert "tree/sub/deeper/y.json" in found


def test_no_gitignore_walks_everything(tree: Path) -> None:
    (tree / ".gitignore").write_text("*.yaml\n")
    refs = list(discover(["tree"], (), gitignore=False))
    assert "tree/b.yaml" in [ref.display for ref in refs]


def test_ancestor_gitignore_and_info_exclude_apply_up_to_the_repository_root(
    tree: Path, tmp_path: Path
) -> None:
    git_repo(tree)
    (tree / ".gitignore").write_text("sub/deeper/\n")
    (tree / ".git" / "info" / "exclude").write_text("z.yaml\n")
    assert [ref.display for ref in discover(["tree/sub"])] == []
    touch(tree, "sub/w.yaml")
    assert [ref.display for ref in discover(["tree/sub"])] == ["tree/sub/w.yaml"]
    # Above the repository root, nothing is read.
    (tmp_path / ".gitignore").write_text("*.yaml\n")
    assert "tree/b.yaml" in walked(tree)


def test_a_directory_named_on_purpose_is_walked_though_an_ancestor_ignores_it(
    tree: Path,
) -> None:
    git_repo(tree)
    (tree / ".gitignore").write_text("sub/\n")
    assert "tree/sub/z.yaml" not in walked(tree)
    assert [ref.display for ref in discover(["tree/sub"])] == [
        "tree/sub/deeper/y.json",
        "tree/sub/z.yaml",
    ]


def test_vendored_directories_and_virtualenvs_are_not_walked(tree: Path) -> None:
    touch(
        tree,
        "node_modules/pkg/p.json",
        "web/node_modules/q.json",
        "vendor/mod/m.yaml",
        "venv/lib/v.yaml",
        "__pycache__/c.json",
        "py311/lib/site.yaml",
        ".venv/lib/v.yaml",
        ".terraform/t.json",
        ".hg/h.yaml",
    )
    (tree / "py311" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    assert walked(tree) == [
        "tree/a/x.yaml",
        "tree/a.yml",
        "tree/b.yaml",
        "tree/c.json",
        "tree/sub/deeper/y.json",
        "tree/sub/z.yaml",
    ]
    # Named on the command line, a vendored directory is walked.
    assert [ref.display for ref in discover(["tree/vendor"])] == ["tree/vendor/mod/m.yaml"]


def test_exclude_negation_re_includes(tree: Path) -> None:
    found = walked(tree, "*.yaml", "!z.yaml")
    assert "tree/sub/z.yaml" in found
    assert "tree/b.yaml" not in found


def test_many_double_stars_against_a_deep_tree_stay_fast(tmp_path: Path) -> None:
    deep = tmp_path / "deep"
    path = deep.joinpath(*["b", "c", "d", "e"] * 20)
    touch(path, "leaf.yaml")
    pattern = "**/b/**/c/**/d/**/e/" * 3 + "**/z"
    # The old translation backtracked for minutes on either of these.
    for exclude in (pattern, "**/" * 30 + "nothing"):
        refs = list(discover([str(deep)], [exclude]))
        assert [Path(ref.display).name for ref in refs] == ["leaf.yaml"]


def test_an_invalid_exclude_pattern_is_a_usage_error() -> None:
    from checker.errors import UsageError

    with pytest.raises(UsageError, match=r"--exclude '\[z-a\]': not a valid gitignore pattern"):
        list(discover(["."], ["[z-a]"]))


GIT_ORACLE_FILES = [
    "a.yaml",
    "dist/x.yaml",
    "sub/dist/y.yaml",
    "sub/keep.local.yaml",
    "sub/drop.local.yaml",
    "docs/_site/s.yaml",
    "tmp/t.yaml",
    "sub/tmp/u.yaml",
    "gen/generated/g.yaml",
    "deep/er/generated/h.yaml",
    "secrets/k.json",
    "secrets/n/k.json",
    "logs/a.yaml",
    "logs/keep/b.yaml",
    "x/y/z.yaml",
    "x/y/w.yaml",
    "foo.yaml/bar.yaml",
    "abc/def.yml",
    "doc/readme.json",
    "[x].yaml",
    "q/a?b.yaml",
]
GIT_ORACLE_IGNORES = {
    ".gitignore": "/dist\n*.local.yaml\n!keep.local.yaml\ntmp/\n**/generated/\nsecrets/*.json\n"
    "docs/_site/\nlogs/*\n!logs/keep/\nfoo.yaml\n\\[x\\].yaml\nq/a?b.yaml\n",
    "x/.gitignore": "y/z.yaml\n",
    "abc/.gitignore": "*\n!.gitignore\n!def.yml\n",
}


def test_the_walk_ignores_what_git_ignores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """git itself is the oracle: anchoring, negation, nesting, directory-only patterns."""
    import shutil
    import subprocess

    git = shutil.which("git") or pytest.skip("git is not on PATH")
    monkeypatch.chdir(tmp_path)
    touch(tmp_path, *GIT_ORACLE_FILES)
    for name, text in GIT_ORACLE_IGNORES.items():
        (tmp_path / name).write_text(text)
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run([git, "init", "-q"], check=True, env=env)
    listed = subprocess.run(
        [git, "ls-files", "--others", "--exclude-standard"],
        check=True,
        env=env,
        capture_output=True,
        text=True,
    ).stdout.split("\n")
    expected = sorted(name for name in listed if name.endswith((".yaml", ".yml", ".json")))
    assert sorted(ref.display.removeprefix("./") for ref in discover(["."])) == expected
    assert len(expected) == 8  # the oracle leaves out most of them


def test_a_tracked_file_is_walked_though_a_gitignore_line_matches_it(tmp_path: Path) -> None:
    """As git does: .gitignore leaves out untracked files only. A manifest force-added and
    then ignored (by a pull request adding the ignore line) is still checked."""
    import subprocess

    repo = tmp_path / "repo"
    (repo / "deploy" / "drafts").mkdir(parents=True)
    for name in ("deploy/a.yaml", "deploy/hidden.yaml", "deploy/drafts/d.yaml", "deploy/new.yaml"):
        (repo / name).write_text("kind: TrainingDeployment\n")
    (repo / ".gitignore").write_text("hidden.yaml\ndrafts/\nnew.yaml\n")
    git = ["git", "-C", str(repo), "-c", "user.email=t@t", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-f", "deploy/a.yaml", "deploy/hidden.yaml"], check=True)
    subprocess.run([*git, "add", "-f", "deploy/drafts/d.yaml"], check=True)
    found = [ref.display for ref in discover([str(repo / "deploy")])]
    shown = [name.rsplit("/deploy/", 1)[1] for name in found]
    # new.yaml is ignored and untracked: left out; the tracked ones are walked
    assert shown == ["a.yaml", "drafts/d.yaml", "hidden.yaml"]
