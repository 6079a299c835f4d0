"""The real pre-commit (from PyPI) blocks a commit with a failing manifest and lets a
compliant one through, with a non-manifest YAML staged beside it (skipped quietly).

Two ways in: a `repo: local` hook built from this repository's .pre-commit-hooks.yaml
(language system, the installed console script), and the published hook itself, from a
throwaway git repository holding a copy of this working tree, which pre-commit clones and
pip-installs (dependencies from PyPI) exactly as a user's pre-commit would.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT, require_tool
from tests.test_cli import CLEAN, PHI_ABROAD

CONFIG_MAP = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: trainer-settings}
data: {batch_size: "64"}
"""
# Not the project's: what a copy of the working tree must leave out to stay small.
COPY_IGNORE = shutil.ignore_patterns(
    ".git", ".venv", "__pycache__", "*.pyc", ".*_cache", ".hypothesis", "*.egg-info", "build"
)
INSTALL_TIMEOUT_S = 900  # a safety net for a hung network, not a performance assertion


def _beside_python(name: str) -> str | None:
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.is_file() else None


@pytest.fixture
def pre_commit() -> str:
    """`pip install pre-commit` (the dev extra has it); skipped with the reason if absent."""
    return _beside_python("pre-commit") or require_tool("pre-commit")


def run(argv: list[str], cwd: Path, env: dict[str, str], timeout: float = 300) -> Any:
    return subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=timeout
    )


def environment(tmp_path: Path, pre_commit: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TDCHECK_", "GIT_"))}
    env.update(
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
        PATH=f"{Path(pre_commit).parent}{os.pathsep}{env.get('PATH', '')}",
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.com",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.com",
        GIT_CONFIG_NOSYSTEM="1",
        HOME=str(tmp_path / "home"),  # no user git config (hooksPath, signing) leaks in
        # ...but keep pip's download cache: the hook install then costs seconds, not minutes.
        PIP_CACHE_DIR=os.environ.get("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip")),
    )
    (tmp_path / "home").mkdir(exist_ok=True)
    return env


def git(cwd: Path, env: dict[str, str], *args: str) -> str:
    done = run(["git", "-c", "init.defaultBranch=main", *args], cwd, env)
    assert done.returncode == 0, done.stderr
    return str(done.stdout)


def published_hook(hook_id: str) -> dict[str, Any]:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    return dict(next(h for h in hooks if h["id"] == hook_id))


def project_repo(tmp_path: Path, env: dict[str, str], config: dict[str, Any]) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    git(project, env, "init", "-q")
    (project / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    (project / "deploy").mkdir()
    return project


def assert_blocks_bad_and_admits_good(project: Path, env: dict[str, str], pre_commit: str) -> None:
    installed = run([pre_commit, "install"], project, env)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    (project / "deploy" / "bad.yaml").write_text(PHI_ABROAD)
    git(project, env, "add", ".pre-commit-config.yaml", "deploy/bad.yaml")
    blocked = run(["git", "commit", "-q", "-m", "bad"], project, env, INSTALL_TIMEOUT_S)
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert "HIPAA-RES-001" in output and "deploy/bad.yaml:17:16" in output, output
    assert run(["git", "rev-parse", "--verify", "HEAD"], project, env).returncode != 0

    git(project, env, "rm", "-q", "--cached", "deploy/bad.yaml")
    (project / "deploy" / "bad.yaml").unlink()
    (project / "deploy" / "good.yaml").write_text(CLEAN)
    (project / "deploy" / "configmap.yaml").write_text(CONFIG_MAP)
    git(project, env, "add", "deploy/good.yaml", "deploy/configmap.yaml")
    admitted = run(["git", "commit", "-q", "-m", "good"], project, env, INSTALL_TIMEOUT_S)
    assert admitted.returncode == 0, admitted.stdout + admitted.stderr
    assert "tdcheck" in admitted.stdout + admitted.stderr  # the hook ran (and passed)
    committed = git(project, env, "show", "--name-only", "--format=", "HEAD").split()
    assert sorted(committed) == [
        ".pre-commit-config.yaml",
        "deploy/configmap.yaml",
        "deploy/good.yaml",
    ]


def test_local_system_hook_blocks_a_failing_manifest(tmp_path: Path, pre_commit: str) -> None:
    tdcheck = _beside_python("tdcheck") or pytest.skip("tdcheck console script not installed")
    env = environment(tmp_path, pre_commit)
    hook = published_hook("tdcheck")
    hook.update(language="system", entry=f"{tdcheck} check --engine embedded")
    project = project_repo(tmp_path, env, {"repos": [{"repo": "local", "hooks": [hook]}]})
    assert_blocks_bad_and_admits_good(project, env, pre_commit)


def test_published_hook_from_a_git_repository(tmp_path: Path, pre_commit: str) -> None:
    env = environment(tmp_path, pre_commit)
    hook_repo = tmp_path / "tdcheck-repo"
    shutil.copytree(ROOT, hook_repo, ignore=COPY_IGNORE)
    git(hook_repo, env, "init", "-q")
    git(hook_repo, env, "add", "-A")
    git(hook_repo, env, "commit", "-q", "--no-verify", "-m", "tdcheck under test")
    rev = git(hook_repo, env, "rev-parse", "HEAD").strip()
    config = {
        "repos": [
            {
                "repo": str(hook_repo),
                "rev": rev,
                "hooks": [
                    {"id": "tdcheck", "args": ["--skip-non-manifests", "--engine", "embedded"]}
                ],
            }
        ]
    }
    project = project_repo(tmp_path, env, config)
    # The hook environment: pre-commit clones the repository and pip-installs it (PyPI).
    installed = run([pre_commit, "install-hooks"], project, env, INSTALL_TIMEOUT_S)
    if installed.returncode != 0:
        message = f"pre-commit could not install the hook: {installed.stdout[-2000:]}"
        if os.environ.get("TDCHECK_REQUIRE_TOOLS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    assert_blocks_bad_and_admits_good(project, env, pre_commit)
