"""The CI integrations parse and carry what their hosts require: action.yml, the GitLab
template (whose Code Quality conversion is run on a real report) and .pre-commit-hooks.yaml."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.ci_runner import JobResult, UsesStep, run_composite, run_gitlab_job
from tests.conftest import ROOT
from tests.test_cli import CLEAN, PHI_ABROAD


def load_yaml(name: str) -> Any:
    return yaml.safe_load((ROOT / name).read_text())


PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def test_action_is_a_composite_whose_actions_are_pinned_by_commit() -> None:
    action = load_yaml("action.yml")
    assert {"name", "description", "inputs", "runs"} <= set(action)
    assert {"paths", "fail-on", "format", "category", "sarif-max-results"} <= set(action["inputs"])
    assert action["inputs"]["category"]["default"] == ""  # derived per call
    for spec in action["inputs"].values():
        assert "description" in spec and isinstance(spec.get("default", ""), str)
    runs = action["runs"]
    assert runs["using"] == "composite"
    steps = runs["steps"]
    uses = [step["uses"] for step in steps if "uses" in step]
    assert [u.split("@")[0] for u in uses] == [
        "actions/setup-python",
        "actions/cache/restore",
        "actions/cache/save",
        "github/codeql-action/upload-sarif",
    ]
    assert all(PINNED.match(u) for u in uses), uses
    text = (ROOT / "action.yml").read_text()
    for ref in uses:  # the comment beside each pin names the release
        assert re.search(re.escape(ref) + r" # v\d+\.\d+\.\d+$", text, re.M), ref
    scripts = [step for step in steps if "run" in step]
    assert all(step.get("shell") == "bash" for step in scripts)  # required in composites
    # Inputs reach scripts through env: never `${{ inputs.x }}` inside the script text.
    assert not any("${{" in step["run"] for step in scripts)
    upload = next(step for step in steps if "upload-sarif" in step.get("uses", ""))
    assert "always()" in upload["if"] and upload["continue-on-error"] is True
    assert steps[-1]["if"] == "${{ always() }}" and "GATE_CODE" in steps[-1]["run"]


def _tdcheck_script() -> str:
    script = Path(sys.executable).parent / "tdcheck"
    if not script.is_file():
        pytest.skip("the tdcheck console script is not installed beside this Python")
    return str(script)


class Upload:
    """The upload-sarif stand-in: fails (code scanning off, read-only token) or records."""

    def __init__(self, works: bool) -> None:
        self.works = works
        self.calls: list[dict[str, str]] = []

    def __call__(self, arguments: dict[str, str]) -> tuple[bool, dict[str, str]]:
        self.calls.append(arguments)
        return self.works, {"sarif-id": "1"} if self.works else {}


def _stand_ins(upload: Upload) -> dict[str, UsesStep]:
    def nothing(_: dict[str, str]) -> tuple[bool, dict[str, str]]:
        return True, {}

    return {
        "actions/setup-python": nothing,
        "actions/cache/restore": lambda _: (True, {"cache-hit": "false"}),
        "actions/cache/save": nothing,
        "github/codeql-action/upload-sarif": upload,
    }


def run_action(
    workspace: Path,
    inputs: dict[str, str],
    upload: Upload,
    github: dict[str, Any] | None = None,
    matrix: dict[str, Any] | None = None,
) -> JobResult:
    """The action's steps as written, in a workspace; installing is the one step left out
    (tdcheck is installed in this environment already)."""
    _tdcheck_script()
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    context = {
        "job": "compliance",
        "event_name": "push",
        "repository": "acme/infra",
        "actor": "alice",
        "action_ref": "v1.0.0",
        "action_path": str(ROOT),
        "event": {},
        **(github or {}),
    }
    return run_composite(
        load_yaml("action.yml"),
        {"args": "--engine embedded", **inputs},
        workspace,
        env,
        _stand_ins(upload),
        context,
        matrix,
        skip=lambda step: "pip install" in step.get("run", ""),
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "m.yaml").write_text(PHI_ABROAD)
    return tmp_path


def test_action_gate_verdict_survives_a_failing_upload(repo: Path) -> None:
    upload = Upload(works=False)
    job = run_action(repo, {}, upload)
    assert job.step("Upload SARIF").outcome == "failure"
    assert "SARIF upload failed" in job.step("SARIF upload failed").stdout
    verdict = job.step("tdcheck verdict")
    assert (verdict.outcome, verdict.code) == ("failure", 1)
    assert job.failed and job.exit_code == 1  # the gate's code, not the upload's
    gate = job.step("tdcheck (gate)").stdout
    assert re.search(r"^::error file=(\./)?deploy/m\.yaml,line=17,", gate, re.M), gate
    (call,) = upload.calls
    assert call["sarif_file"] == "tdcheck.sarif"
    sarif = json.loads((repo / "tdcheck.sarif").read_text())
    (result,) = sarif["runs"][0]["results"]
    location = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "deploy/m.yaml", "uriBaseId": "%SRCROOT%"}


def test_action_passes_on_clean_manifests_when_the_upload_fails(repo: Path) -> None:
    (repo / "deploy" / "m.yaml").write_text(CLEAN)
    job = run_action(repo, {}, Upload(works=False))
    assert job.step("Upload SARIF").outcome == "failure"
    assert not job.failed and job.step("tdcheck verdict").code == 0


def test_action_invalid_input_fails_the_job_even_when_the_upload_works(repo: Path) -> None:
    (repo / "deploy" / "broken.yaml").write_text("kind: TrainingDeployment\nkind: again\n")
    upload = Upload(works=True)
    job = run_action(repo, {"paths": "deploy"}, upload)
    assert job.step("Upload SARIF").outcome == "success" and upload.calls
    assert job.exit_code == 2


def test_action_skips_the_upload_for_forks_and_dependabot_with_a_notice(repo: Path) -> None:
    fork = {
        "event_name": "pull_request",
        "event": {"pull_request": {"head": {"repo": {"full_name": "mallory/infra"}}}},
    }
    cases = ((fork, "a pull request from a fork"), ({"actor": "dependabot[bot]"}, "Dependabot"))
    for github, why in cases:
        upload = Upload(works=True)
        job = run_action(repo, {}, upload, github)
        assert job.step("Upload SARIF").outcome == "skipped" and not upload.calls
        assert f"::notice::SARIF upload skipped: {why}" in job.step("tdcheck (SARIF)").stdout
        assert job.exit_code == 1


def test_action_category_is_unique_per_call_unless_given(repo: Path) -> None:
    def category(inputs: dict[str, str], matrix: dict[str, Any] | None = None) -> str:
        upload = Upload(works=True)
        run_action(repo, inputs, upload, matrix=matrix)
        return upload.calls[0]["category"]

    first = category({"paths": "deploy"})
    assert re.fullmatch(r"tdcheck/compliance/[0-9a-f]{12}", first)
    assert category({"paths": "deploy"}) == first  # stable across runs: alerts are tracked
    assert category({"paths": "deploy/m.yaml"}) != first
    assert category({"paths": "deploy"}, {"python": "3.12"}) != first
    assert category({"paths": "deploy", "category": "mine"}) == "mine"


def test_action_caps_sarif_and_says_where_the_full_report_is(repo: Path) -> None:
    (repo / "deploy" / "n.yaml").write_text(PHI_ABROAD.replace("phi-abroad", "phi-abroad-2"))
    upload = Upload(works=True)
    job = run_action(repo, {"sarif-max-results": "1"}, upload)
    log = job.step("tdcheck (SARIF)").stdout
    assert "::warning::1 results were left out of tdcheck.sarif" in log
    assert "the full report is tdcheck-report.json" in log
    assert len(json.loads((repo / "tdcheck.sarif").read_text())["runs"][0]["results"]) == 1
    full = json.loads((repo / "tdcheck-report.json").read_text())
    assert len([f for f in full["findings"] if f["status"] == "fail"]) == 2
    assert upload.calls and job.exit_code == 1


def test_gitlab_template_has_a_job_with_junit_and_code_quality_reports() -> None:
    job = load_yaml("ci/gitlab/tdcheck.gitlab-ci.yml")[".tdcheck"]
    assert {"image", "script", "artifacts"} <= set(job)
    assert not job["image"].endswith("-slim")  # pip installs from git, which -slim lacks
    assert job["artifacts"]["when"] == "always"
    reports = job["artifacts"]["reports"]
    assert reports["junit"] == ".tdcheck/junit.xml"
    assert reports["codequality"] == ".tdcheck/gl-code-quality.json"
    assert job["script"][-1].startswith("tdcheck check")  # the gate comes last
    # Every run of tdcheck leaves the template's own outputs out of the walk.
    runs = [line for line in job["script"] if line.startswith("tdcheck check")]
    assert len(runs) == 3 and all("--exclude .tdcheck/" in line for line in runs)
    # Installed from a git URL at a commit, never from a package name on a public index.
    assert job["variables"]["TDCHECK_COMMIT"] == ""
    install = job["before_script"][-1]
    assert "git+${TDCHECK_REPOSITORY}@${TDCHECK_COMMIT}" in install
    assert "TDCHECK_PIP_SPEC" not in (ROOT / "ci/gitlab/tdcheck.gitlab-ci.yml").read_text()


def _gitlab_job() -> dict[str, Any]:
    job: dict[str, Any] = load_yaml("ci/gitlab/tdcheck.gitlab-ci.yml")[".tdcheck"]
    return job


def _gitlab_env(**variables: str) -> dict[str, str]:
    _tdcheck_script()
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    return {"PATH": path, "TDCHECK_ENGINE": "embedded", **variables}


def test_gitlab_install_refuses_anything_but_a_pinned_commit(tmp_path: Path) -> None:
    (tmp_path / "bin").mkdir()
    shim = tmp_path / "bin" / "python"  # records what pip was asked to install
    shim.write_text(f'#!/bin/sh\necho "$@" > {tmp_path / "pip-args"}\n')
    shim.chmod(0o755)
    env = {"PATH": f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    job = _gitlab_job()
    for commit in ("", "main", "v1.0.0", "abc123", "A" * 40):
        done = run_gitlab_job(
            job, tmp_path, {**env, "TDCHECK_REPOSITORY": "https://git.example/tdcheck.git",
                            "TDCHECK_COMMIT": commit}, ("before_script",)
        )  # fmt: skip
        assert done.returncode == 2, commit
        assert "TDCHECK_COMMIT" in done.stderr
        assert not (tmp_path / "pip-args").exists()
    commit = "0123456789abcdef0123456789abcdef01234567"
    done = run_gitlab_job(job, tmp_path, {**env, "TDCHECK_COMMIT": commit}, ("before_script",))
    assert done.returncode == 2 and "TDCHECK_REPOSITORY" in done.stderr
    pinned = {"TDCHECK_REPOSITORY": "https://git.example/tdcheck.git", "TDCHECK_COMMIT": commit}
    done = run_gitlab_job(job, tmp_path, {**env, **pinned}, ("before_script",))
    assert done.returncode == 0, done.stderr
    args = (tmp_path / "pip-args").read_text().split()
    assert args[-1] == f"git+https://git.example/tdcheck.git@{commit}"


def test_gitlab_job_gates_on_manifests_only_with_relative_code_quality_paths(
    repo: Path,
) -> None:
    # A previous run's outputs (a report of the same manifests, and a large one) stay out.
    (repo / ".tdcheck").mkdir()
    (repo / ".tdcheck" / "report.json").write_text('{"findings": [' + "0," * 200_000 + "0]}")
    done = run_gitlab_job(_gitlab_job(), repo, _gitlab_env(), ("script",))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "HIPAA-RES-001" in done.stdout
    issues = json.loads((repo / ".tdcheck" / "gl-code-quality.json").read_text())
    assert [i["check_name"] for i in issues] == ["HIPAA-RES-001"]
    issue = issues[0]
    assert issue["severity"] == "critical"
    assert issue["location"] == {"path": "deploy/m.yaml", "lines": {"begin": 17}}
    assert re.fullmatch(r"[0-9a-f]{64}", issue["fingerprint"])
    junit = (repo / ".tdcheck" / "junit.xml").read_text()
    assert "HIPAA-RES-001" in junit and ".tdcheck" not in junit


def test_gitlab_code_quality_paths_lose_the_leading_dot(repo: Path) -> None:
    env = _gitlab_env(TDCHECK_CHECK_PATHS="./deploy")
    done = run_gitlab_job(_gitlab_job(), repo, env, ("script",))
    assert done.returncode == 1
    (issue,) = json.loads((repo / ".tdcheck" / "gl-code-quality.json").read_text())
    assert issue["location"]["path"] == "deploy/m.yaml"


def test_gitlab_gate_verdict_survives_failing_reports(repo: Path) -> None:
    # The reports cannot be written (their paths are directories): warnings, not the verdict.
    (repo / ".tdcheck" / "report.json").mkdir(parents=True)
    (repo / ".tdcheck" / "junit.xml").mkdir()
    (repo / ".tdcheck" / "gl-code-quality.json").mkdir()
    done = run_gitlab_job(_gitlab_job(), repo, _gitlab_env(), ("script",))
    assert done.returncode == 1, done.stdout + done.stderr
    for what in ("no JUnit report", "no JSON report", "no Code Quality report"):
        assert f"tdcheck: warning: {what}" in done.stdout
    (repo / "deploy" / "m.yaml").write_text(CLEAN)
    assert run_gitlab_job(_gitlab_job(), repo, _gitlab_env(), ("script",)).returncode == 0


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
