"""The CI integrations parse and carry what their hosts require: action.yml, the GitLab
template (whose Code Quality conversion is run on a real report) and .pre-commit-hooks.yaml."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT, run_cli
from tests.test_cli import PHI_ABROAD


def load_yaml(name: str) -> Any:
    return yaml.safe_load((ROOT / name).read_text())


def test_action_is_a_composite_that_installs_checks_and_uploads_sarif() -> None:
    action = load_yaml("action.yml")
    assert {"name", "description", "inputs", "runs"} <= set(action)
    assert {"paths", "fail-on", "format"} <= set(action["inputs"])
    for spec in action["inputs"].values():
        assert "description" in spec and isinstance(spec.get("default", ""), str)
    runs = action["runs"]
    assert runs["using"] == "composite"
    steps = runs["steps"]
    uses = [step["uses"].split("@")[0] for step in steps if "uses" in step]
    assert uses == ["actions/setup-python", "github/codeql-action/upload-sarif"]
    scripts = [step for step in steps if "run" in step]
    assert all(step.get("shell") == "bash" for step in scripts)  # required in composites
    assert any("pip install" in step["run"] and "ACTION_PATH" in step["run"] for step in scripts)
    assert any("--format sarif" in step["run"] for step in scripts)
    assert _commands(scripts[-1]["run"])[0].startswith("tdcheck check")  # the gate comes last
    # Inputs reach scripts through env: never `${{ inputs.x }}` inside the script text.
    assert not any("${{" in step["run"] for step in scripts)
    upload = next(step for step in steps if "upload-sarif" in step.get("uses", ""))
    assert "always()" in upload["if"]


def _commands(script: str) -> list[str]:
    return [line for line in script.splitlines() if line.strip() and not line.startswith("#")]


def _tdcheck_script() -> str:
    script = Path(sys.executable).parent / "tdcheck"
    if not script.is_file():
        pytest.skip("the tdcheck console script is not installed beside this Python")
    return str(script)


def test_action_steps_write_sarif_and_gate_on_findings(tmp_path: Path) -> None:
    """The action's shell steps, run as GitHub would run them with these inputs."""
    bash = shutil.which("bash") or pytest.skip("bash is not on PATH")
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "m.yaml").write_text(PHI_ABROAD)
    action = load_yaml("action.yml")
    inputs = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    inputs.update({"paths": "deploy", "args": "--engine embedded"})
    env = {
        **os.environ,
        "PATH": f"{Path(_tdcheck_script()).parent}{os.pathsep}{os.environ['PATH']}",
    }
    codes = {}
    for step in action["runs"]["steps"]:
        if "run" not in step or "pip install" in step["run"]:
            continue
        step_env = {
            key: re.sub(r"\$\{\{ inputs\.([\w-]+) \}\}", lambda m: inputs[m[1]], value)
            for key, value in step.get("env", {}).items()
        }
        argv = [bash, "-e", "-c", step["run"]]
        done = subprocess.run(
            argv, cwd=tmp_path, env={**env, **step_env}, capture_output=True, text=True, check=False
        )
        codes[step["name"]] = (done.returncode, done.stdout)
    assert codes["tdcheck (SARIF)"][0] == 0  # findings must not stop the upload
    sarif = json.loads((tmp_path / "tdcheck.sarif").read_text())
    assert sarif["version"] == "2.1.0"
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["HIPAA-RES-001"]
    code, out = codes["tdcheck (gate)"]
    assert code == 1
    assert "::error file=deploy/m.yaml,line=17" in out  # a workflow annotation


def test_gitlab_template_has_a_job_with_junit_and_code_quality_reports() -> None:
    template = load_yaml("ci/gitlab/tdcheck.gitlab-ci.yml")
    job = template[".tdcheck"]
    assert {"image", "script", "artifacts"} <= set(job)
    assert job["artifacts"]["when"] == "always"
    reports = job["artifacts"]["reports"]
    assert reports["junit"] == "tdcheck-junit.xml"
    assert reports["codequality"] == "gl-code-quality-report.json"
    script = "\n".join(job["script"])
    assert "--format junit --output tdcheck-junit.xml" in script
    assert job["script"][-1].startswith("tdcheck check")  # the gate comes last


def test_gitlab_code_quality_conversion_of_a_real_report(tmp_path: Path) -> None:
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is not on PATH")
    manifest = tmp_path / "m.yaml"
    manifest.write_text(PHI_ABROAD)
    output = str(tmp_path / "tdcheck-report.json")
    report = run_cli("check", "--engine", "embedded", "-f", "json", "-o", output, str(manifest))
    assert report.code == 1
    steps = load_yaml("ci/gitlab/tdcheck.gitlab-ci.yml")[".tdcheck"]["script"]
    script = next(step for step in steps if "gl-code-quality-report.json" in step)
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "python").symlink_to(sys.executable)
    env = {**os.environ, "PATH": f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run([bash, "-c", script], cwd=tmp_path, env=env, check=True, capture_output=True)
    issues = json.loads((tmp_path / "gl-code-quality-report.json").read_text())
    assert [i["check_name"] for i in issues] == ["HIPAA-RES-001"]
    issue = issues[0]
    assert issue["severity"] == "critical"
    assert issue["location"] == {"path": str(manifest), "lines": {"begin": 17}}
    assert re.fullmatch(r"[0-9a-f]{64}", issue["fingerprint"])


def test_pre_commit_hooks_manifest() -> None:
    hooks = {hook["id"]: hook for hook in load_yaml(".pre-commit-hooks.yaml")}
    assert set(hooks) == {"tdcheck", "tdcheck-policy-test"}
    check = hooks["tdcheck"]
    assert (check["language"], check["entry"]) == ("python", "tdcheck check")
    assert check.get("pass_filenames", True) is True
    assert "--skip-non-manifests" in check["args"]
    pattern = re.compile(check["files"])
    assert all(pattern.search(n) for n in ("a.yaml", "b/c.yml", "d.json"))
    assert not any(pattern.search(n) for n in ("a.yaml.bak", "x.rego", "README.md"))
    policy = hooks["tdcheck-policy-test"]
    assert (policy["language"], policy["entry"]) == ("python", "tdcheck policy test")
    assert policy["pass_filenames"] is False
