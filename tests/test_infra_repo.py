"""A real infrastructure repository: the gate and the pre-commit hook report exactly the
manifests' findings (exit 1), never an input error for the files around them (exit 2).

The repository is a git repository holding the project's example and violation manifests
beside what such a repository really holds (tests/infra_files.py: GitLab CI with
`!reference`, CloudFormation, merge keys, mkdocs.yml with Python tags, a Helm chart, JSON
with comments, a 13 MB package-lock.json), a .gitignore, and ignored or vendored trees
holding files that would fail the run if they were read. Two real runs: `tdcheck check .`
(the CI gate) and `pre-commit run --all-files` with the hook of .pre-commit-hooks.yaml.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from tests.conftest import FIXTURES, ROOT
from tests.infra_files import write_ordinary_files
from tests.test_cli import BROKEN, PHI_ABROAD
from tests.test_pre_commit import (
    _beside_python,
    environment,
    git,
    pre_commit,  # noqa: F401  (fixture)
    published_hook,
    run,
)

GITIGNORE = """\
# build output and local drafts
build/
*.local.yaml
node_modules/
.venv/
"""
TIMEOUT_S = 600  # a safety net for a hung process, not a performance assertion


def manifests(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.glob("deploy/*/*.yaml"))


@pytest.fixture
def infra_repo(tmp_path: Path, pre_commit: str) -> tuple[Path, dict[str, str], list[str]]:  # noqa: F811
    env = environment(tmp_path, pre_commit)
    root = tmp_path / "infra"
    root.mkdir()
    git(root, env, "init", "-q")
    for group in ("examples", "violations"):
        shutil.copytree(FIXTURES / group, root / "deploy" / group)
    ordinary = write_ordinary_files(root)
    (root / ".gitignore").write_text(GITIGNORE)
    # Ignored, untracked or vendored: each of these would change the verdict if it were read.
    (root / "build").mkdir()
    (root / "build" / "rendered.yaml").write_text(BROKEN)
    (root / "deploy" / "dev.local.yaml").write_text(PHI_ABROAD)
    (root / "dashboard" / "node_modules" / "m").mkdir(parents=True)
    (root / "dashboard" / "node_modules" / "m" / "m.yaml").write_text(BROKEN)
    (root / ".venv" / "lib").mkdir(parents=True)
    (root / ".venv" / "lib" / "m.yaml").write_text(BROKEN)
    git(root, env, "add", "-A")
    return root, env, ordinary


def findings(report: dict[str, Any]) -> set[tuple[str, str, str, int, int]]:
    return {
        (f["manifest"].removeprefix("./"), f["rule_id"], f["status"], f["line"], f["column"])
        for f in report["findings"]
        if f["status"] != "pass"
    }


def tdcheck() -> str:
    return _beside_python("tdcheck") or pytest.skip("tdcheck console script not installed")


def test_the_gate_and_the_hook_report_exactly_the_manifests_findings(
    infra_repo: tuple[Path, dict[str, str], list[str]],
    pre_commit: str,  # noqa: F811
) -> None:
    root, env, ordinary = infra_repo
    # What the manifests alone give: the reference.
    alone = run([tdcheck(), "check", "--format", "json", *manifests(root)], root, env, TIMEOUT_S)
    expected = json.loads(alone.stdout)
    assert alone.returncode == 1, alone.stderr
    assert expected["summary"]["manifests"] == 12 and not expected["errors"]
    assert len(findings(expected)) > 12

    # (a) The CI gate on the whole repository.
    gate = run([tdcheck(), "check", "--format", "json", "."], root, env, TIMEOUT_S)
    assert gate.returncode == 1, gate.stderr
    report = json.loads(gate.stdout)
    schema = json.loads((ROOT / "schemas" / "report.schema.json").read_text())
    jsonschema.validate(report, schema)
    assert report["errors"] == []
    assert report["summary"]["manifests"] == 12
    assert findings(report) == findings(expected)
    # Read: the manifests and the ordinary files outside hidden directories (skipped with a
    # notice); not read: what .gitignore ignores, vendored and hidden trees.
    walked = [name for name in ordinary if not name.startswith(".vscode/")]
    read = sorted(item["path"].removeprefix("./") for item in report["inputs"])
    assert read == sorted([*manifests(root), *walked])
    assert f"notice: {len(walked)} document(s) or file(s) skipped" in gate.stderr

    # (b) pre-commit over every tracked file, with the published hook.
    hook = published_hook("tdcheck")
    hook.update(language="system", entry=f"{tdcheck()} check")
    hook["args"] = [*hook["args"], "-q", "--format", "json"]
    config = {"repos": [{"repo": "local", "hooks": [hook]}]}
    (root / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    git(root, env, "add", ".pre-commit-config.yaml")
    hooked = run([pre_commit, "run", "--all-files"], root, env, TIMEOUT_S)
    output = hooked.stdout + hooked.stderr
    assert hooked.returncode == 1, output
    assert "- exit code: 1" in output and "- exit code: 2" not in output, output
    body = output[output.index("\n{") + 1 : output.rindex("}") + 1]
    hooked_report = json.loads(body)
    assert hooked_report["errors"] == []
    assert findings(hooked_report) == findings(expected)
    # Every tracked YAML/JSON file reached the hook: the ordinary ones were skipped, unparsed.
    assert len(hooked_report["inputs"]) == len(
        git(root, env, "ls-files", "*.yaml", "*.yml", "*.json").split()
    )
