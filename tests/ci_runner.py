"""Runs the steps of the composite Action (action.yml) and of the GitLab template as their hosts
would: `${{ }}` expressions and `if:` conditions evaluated against the contexts, each `run:`
step in `bash --noprofile --norc -eo pipefail` with its `env:` and a fresh $GITHUB_OUTPUT,
`continue-on-error` honoured, `uses:` steps played by stand-ins (the upload can be made to
fail). What the hosts do is reproduced only as far as these two files use it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>\d+(?:\.\d+)?)|(?P<op>==|!=|&&|\|\||!|\(|\)|,)"
    r"|(?P<name>[A-Za-z_][\w-]*(?:\.[A-Za-z_*][\w-]*)*))"
)
_FUNCTIONS = {"always", "success", "failure", "cancelled", "toJson", "contains", "startsWith"}


def _lookup(contexts: Mapping[str, Any], path: str) -> Any:
    value: Any = contexts
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def evaluate(expression: str, contexts: Mapping[str, Any], failed: bool) -> Any:
    """A GitHub Actions expression, translated to Python over the given contexts."""
    source: list[str] = []
    pos = 0
    text = expression.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise ValueError(f"cannot read expression at {text[pos:]!r}")
        pos = match.end()
        if match["str"]:
            source.append(repr(match["str"][1:-1].replace("''", "'")))
        elif match["num"]:
            source.append(match["num"])
        elif match["op"]:
            source.append({"&&": " and ", "||": " or ", "!": " not "}.get(match["op"], match["op"]))
        elif match["name"] in {"true", "false", "null"}:
            source.append({"true": "True", "false": "False", "null": "None"}[match["name"]])
        elif match["name"] in _FUNCTIONS:
            source.append(f"_{match['name']}")
        else:
            source.append(f"_get({match['name']!r})")
    names = {
        "_get": lambda path: _lookup(contexts, path),
        "_always": lambda: True,
        "_success": lambda: not failed,
        "_failure": lambda: failed,
        "_cancelled": lambda: False,
        "_toJson": lambda value: json.dumps(value, indent=2),
        "_contains": lambda haystack, needle: needle in (haystack or ""),
        "_startsWith": lambda text, prefix: str(text or "").startswith(prefix),
    }
    return eval("".join(source), {"__builtins__": {}}, names)  # noqa: S307 - test-only, own input


def substitute(text: str, contexts: Mapping[str, Any], failed: bool = False) -> str:
    def one(match: re.Match[str]) -> str:
        value = evaluate(match[1], contexts, failed)
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    return re.sub(r"\$\{\{(.*?)\}\}", one, text)


def read_outputs(path: Path) -> dict[str, str]:
    outputs: dict[str, str] = {}
    lines = iter(path.read_text().splitlines()) if path.exists() else iter(())
    for line in lines:
        if "<<" in line and "=" not in line.split("<<", 1)[0]:
            name, delimiter = line.split("<<", 1)
            body = []
            for item in lines:
                if item == delimiter:
                    break
                body.append(item)
            outputs[name] = "\n".join(body)
        elif "=" in line:
            name, value = line.split("=", 1)
            outputs[name] = value
    return outputs


@dataclass
class StepResult:
    name: str
    outcome: str  # success, failure or skipped
    code: int = 0
    stdout: str = ""
    stderr: str = ""
    outputs: dict[str, str] = field(default_factory=dict)


# A stand-in for a `uses:` step: given its substituted `with:`, returns (succeeded, outputs).
UsesStep = Callable[[dict[str, str]], tuple[bool, dict[str, str]]]


@dataclass
class JobResult:
    steps: list[StepResult]
    failed: bool
    exit_code: int  # of the step that failed the job, 0 when none did

    def step(self, name: str) -> StepResult:
        return next(s for s in self.steps if s.name == name)

    @property
    def log(self) -> str:
        return "".join(s.stdout + s.stderr for s in self.steps)


def run_composite(
    action: Mapping[str, Any],
    inputs: Mapping[str, str],
    workspace: Path,
    env: Mapping[str, str],
    uses: Mapping[str, UsesStep],
    github: Mapping[str, Any],
    matrix: Mapping[str, Any] | None = None,
    skip: Callable[[Mapping[str, Any]], bool] = lambda step: False,
) -> JobResult:
    values = {n: spec.get("default", "") for n, spec in action["inputs"].items()}
    values.update(inputs)
    contexts: dict[str, Any] = {
        "inputs": values,
        "github": dict(github),
        "steps": {},
        "runner": {"os": "Linux", "temp": tempfile.gettempdir()},
        "matrix": dict(matrix) if matrix else None,
        "job": {"status": "success"},
    }
    results: list[StepResult] = []
    failed, exit_code = False, 0
    for index, step in enumerate(action["runs"]["steps"]):
        name = step.get("name") or step.get("uses", f"step {index}")
        condition = step.get("if", "success()")
        condition = re.sub(r"^\$\{\{(.*)\}\}$", r"\1", str(condition).strip())
        if skip(step) or not evaluate(condition, contexts, failed):
            result = StepResult(name, "skipped")
        elif "run" in step:
            result = _run_step(step, name, contexts, failed, workspace, env, github)
        else:
            action_name = step["uses"].split("@")[0]
            arguments = {k: substitute(str(v), contexts, failed) for k, v in step["with"].items()}
            ok, outputs = uses[action_name](arguments)
            outcome = "success" if ok else "failure"
            result = StepResult(name, outcome, 0 if ok else 1, outputs=outputs)
        results.append(result)
        if "id" in step:
            conclusion = result.outcome
            if result.outcome == "failure" and step.get("continue-on-error"):
                conclusion = "success"
            contexts["steps"][step["id"]] = {
                "outputs": result.outputs,
                "outcome": result.outcome,
                "conclusion": conclusion,
            }
        if result.outcome == "failure" and not step.get("continue-on-error") and not failed:
            failed, exit_code = True, result.code
            contexts["job"]["status"] = "failure"
    return JobResult(results, failed, exit_code)


def _run_step(
    step: Mapping[str, Any],
    name: str,
    contexts: Mapping[str, Any],
    failed: bool,
    workspace: Path,
    env: Mapping[str, str],
    github: Mapping[str, Any],
) -> StepResult:
    with tempfile.TemporaryDirectory() as scratch:
        output = Path(scratch) / "output"
        script = Path(scratch) / "step.sh"
        script.write_text(substitute(step["run"], contexts, failed))
        step_env = {k: substitute(str(v), contexts, failed) for k, v in step.get("env", {}).items()}
        done = subprocess.run(
            [step.get("shell", "bash"), "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=workspace,
            env={
                **env,
                **step_env,
                "GITHUB_OUTPUT": str(output),
                "GITHUB_JOB": str(github.get("job", "")),
                "GITHUB_WORKSPACE": str(workspace),
            },
            capture_output=True,
            text=True,
            check=False,
        )
        outcome = "success" if done.returncode == 0 else "failure"
        return StepResult(
            name, outcome, done.returncode, done.stdout, done.stderr, read_outputs(output)
        )


def run_gitlab_job(
    job: Mapping[str, Any],
    workspace: Path,
    env: Mapping[str, str],
    sections: tuple[str, ...] = ("before_script", "script"),
) -> subprocess.CompletedProcess[str]:
    """The job's lines as the GitLab runner's bash shell runs them: one script, `set -eo
    pipefail`, the job's variables (defaults, then `env`) in the environment."""
    variables = {k: str(v) for k, v in job.get("variables", {}).items()}
    merged = {**os.environ, "CI_PROJECT_DIR": str(workspace), **variables, **env}
    merged = {k: re.sub(r"\$CI_PROJECT_DIR", str(workspace), v) for k, v in merged.items()}
    lines = [line for section in sections for line in job.get(section, [])]
    script = "set -eo pipefail\n" + "\n".join(lines) + "\n"
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-c", script],
        cwd=workspace,
        env=merged,
        capture_output=True,
        text=True,
        check=False,
    )
