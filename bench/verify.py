"""Read each tool's output into comparable sets, so the benchmark also proves equal answers.

- every finding of the tdcheck engines must be identical (all fields that the engine
  decides, passes included);
- conftest's and opa exec's failures must be exactly tdcheck's failing findings, as
  (file, deny|warn, "RULE-ID: message").
Files are compared by name: each tool prints paths its own way.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

Failure = tuple[str, str, str]


def _kind(severity: str) -> str:
    return "deny" if severity == "error" else "warn"


def tdcheck_findings(path: Path) -> tuple[list[str], set[Failure]]:
    report = json.loads(path.read_text(encoding="utf-8"))
    every: list[str] = []
    failing: set[Failure] = set()
    for finding in report["findings"]:
        name = Path(finding["manifest"]).name
        decided = {k: v for k, v in finding.items() if k not in ("manifest", "line", "column")}
        every.append(name + json.dumps(decided, sort_keys=True))
        if finding["status"] == "fail":
            message = f"{finding['rule_id']}: {finding['message']}"
            failing.add((name, _kind(finding["severity"]), message))
    return sorted(every), failing


def conftest_failures(path: Path) -> set[Failure]:
    results: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    found: set[Failure] = set()
    for result in results:
        name = Path(result["filename"]).name
        found |= {(name, "deny", r["msg"]) for r in result.get("failures") or []}
        found |= {(name, "warn", r["msg"]) for r in result.get("warnings") or []}
    return found


def opa_exec_failures(path: Path) -> set[Failure]:
    answer: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    found: set[Failure] = set()
    for item in answer.get("result") or []:
        name = Path(item["path"]).name
        found |= {(name, _kind(r["severity"]), r["msg"]) for r in item.get("result") or []}
    return found


def agreement(outputs: dict[str, Path]) -> dict[str, str]:
    """Per tool: "yes", or what differs from the reference (the first tdcheck engine run:
    embedded, opa, auto)."""
    verdict: dict[str, str] = {}
    reference: tuple[list[str], set[Failure]] | None = None
    for tool in ("tdcheck embedded", "tdcheck opa", "tdcheck auto", "tdcheck auto cold"):
        if tool in outputs:
            current = tdcheck_findings(outputs[tool])
            if reference is None:
                reference, verdict[tool] = current, "yes"
            else:
                differ = max(1, len(set(current[0]) ^ set(reference[0])))
                same = current[0] == reference[0]
                verdict[tool] = "yes" if same else f"no ({differ} findings differ)"
    if reference is None:
        return dict.fromkeys(outputs, "n/a")
    readers = {"conftest": conftest_failures, "opa exec": opa_exec_failures}
    for tool, read in readers.items():
        if tool in outputs:
            found = read(outputs[tool])
            verdict[tool] = "yes" if found == reference[1] else f"no ({_diff(found, reference[1])})"
    return verdict


def _diff(found: set[Failure], expected: set[Failure]) -> str:
    return f"{len(found - expected)} extra, {len(expected - found)} missing failures"
