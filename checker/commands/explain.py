"""`tdcheck explain RULE_ID`: one rule in full, from its METADATA and its example manifests.

What, why and how to fix come from the rule's own METADATA (the only catalogue); the
examples are the rule's `fixtures/rules/<ID>/{fail,pass}.yaml`, which the test suite runs
on both engines, so what `explain` shows is known to fail and to pass.
"""

from __future__ import annotations

import difflib
import json
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import click

from checker.cli import Streams, policy_option
from checker.errors import UsageError
from checker.model import RuleMeta
from checker.textsafe import inline

WIDTH = 88
INDENT = "  "
SUBJECTS = {
    "stage": "each stage at its location",
    "location": "each location as a whole",
    "movement": "each dataset moving between locations, or each declared transfer",
}


def rule_examples_dir() -> Path | None:
    """Installed wheels carry the examples inside the package; a source checkout beside it."""
    here = Path(__file__).resolve().parents[1]
    for candidate in (here / "fixtures" / "rules", here.parent / "fixtures" / "rules"):
        if candidate.is_dir():
            return candidate
    return None


def find_rule(rules: Sequence[RuleMeta], rule_id: str) -> RuleMeta:
    by_id = {meta.rule_id: meta for meta in rules}
    meta = by_id.get(rule_id) or by_id.get(rule_id.upper())
    if meta is not None:
        return meta
    close = difflib.get_close_matches(rule_id.upper(), list(by_id), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise UsageError(f"unknown rule id {rule_id!r}{hint} (`tdcheck rules` lists them all)")


def effective_severity(meta: RuleMeta, data: Mapping[str, Any]) -> str:
    """The organisation's choice where the rule takes its severity from policy data."""
    if not meta.severity_from:
        return meta.severity.value
    value: Any = data
    for key in meta.severity_from.removeprefix("data.").split("."):
        value = value.get(key) if isinstance(value, Mapping) else None
    return value if isinstance(value, str) else meta.severity.value


def load_example(rule_id: str, outcome: str) -> dict[str, str] | None:
    directory = rule_examples_dir()
    path = directory / rule_id / f"{outcome}.yaml" if directory else None
    if path is None or not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    summary = " ".join(line.lstrip("# ") for line in _header(text))
    label = f"fixtures/rules/{rule_id}/{outcome}.yaml"
    return {"file": label, "summary": summary, "manifest": text}


def _header(text: str) -> list[str]:
    lines = text.splitlines()
    end = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    return lines[:end]


def explanation(meta: RuleMeta, data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": meta.rule_id,
        "title": meta.title,
        "description": meta.description,
        "framework": meta.framework,
        "severity": effective_severity(meta, data),
        "severity_from": meta.severity_from or None,
        "subject": meta.subject,
        "citation": meta.citation,
        "remediation": meta.remediation,
        "source": meta.source,
        "examples": {
            "fail": load_example(meta.rule_id, "fail"),
            "pass": load_example(meta.rule_id, "pass"),
        },
    }


def render_text(doc: Mapping[str, Any]) -> str:
    severity = doc["severity"]
    if doc["severity_from"]:
        severity += f" (the organisation's choice: {doc['severity_from']})"
    out = [
        f"{doc['id']}: {doc['title']}",
        f"framework {doc['framework']}, severity {severity}",
        f"judged for {SUBJECTS.get(doc['subject'], doc['subject'])}",
    ]
    for heading, body in (
        ("What it checks", doc["description"] or doc["title"]),
        ("Why", doc["citation"]),
        ("How to fix", doc["remediation"]),
    ):
        out += ["", heading, _paragraph(body)]
    failing, passing = doc["examples"]["fail"], doc["examples"]["pass"]
    if failing is None or passing is None:
        out += ["", "Examples", "  none shipped for this rule (fixtures/rules/<ID>/ not found)"]
        return _lines(out)
    out += ["", f"Failing example ({failing['file']})"]
    out += [INDENT + line if line else "" for line in failing["manifest"].splitlines()]
    out += ["", f"Passing example ({passing['file']}), as a change to the failing one"]
    out += [INDENT + "# " + passing["summary"]]
    diff = difflib.unified_diff(
        _body(failing["manifest"]), _body(passing["manifest"]), "fail.yaml", "pass.yaml", n=2
    )
    out += [INDENT + line.rstrip("\n") for line in diff]
    return _lines(out)


def _lines(out: list[str]) -> str:
    # Escaped line by line once wrapped: a wrapped line may start with any word of a --policy
    # rule's METADATA, and the terminal or CI log must see text, not commands.
    return "".join(f"{inline(line)}\n" for line in "\n".join(out).split("\n"))


def _paragraph(text: str) -> str:
    return textwrap.fill(text, WIDTH, initial_indent=INDENT, subsequent_indent=INDENT)


def _body(text: str) -> list[str]:
    """The manifest without its header comment: the comments differ by design, noise in a diff."""
    lines = text.splitlines(keepends=True)
    return lines[len(_header(text)) :]


@click.command("explain")
@click.argument("rule_id")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@policy_option()
@click.option("--data", "data_files", multiple=True, type=click.Path(path_type=Path))
@click.pass_obj
def command(
    streams: Streams,
    rule_id: str,
    fmt: str,
    policy_dirs: Sequence[Path],
    data_files: Sequence[Path],
) -> None:
    """One rule in full: what it checks, why, how to fix, a failing and a passing example."""
    from checker.policy import load_policy_set

    policy = load_policy_set(tuple(policy_dirs), tuple(data_files))
    doc = explanation(find_rule(policy.rules, rule_id), policy.data)
    if fmt == "json":
        streams.stdout.write(json.dumps(doc, indent=2) + "\n")
    else:
        streams.stdout.write(render_text(doc))
