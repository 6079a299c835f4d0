"""Regenerate checker/engine/canary.json: the canary manifests and what the shipped policies
give for them. Run after a rule is added or changed (tests/hardening/test_hardening_canary.py
fails until then):

    python tools/canary.py

The canary is a small set of rule fixtures and violation examples chosen so that every
built-in rule package produces a finding (pass or fail) on at least one of them, with as
many failures as a greedy cover gives. Presence is what every run checks (an engine that
does not evaluate a package gives nothing for it); the failing rule ids are checked too
when the run uses the shipped policy data.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from checker.engine import ENGINES, EngineOptions  # noqa: E402
from checker.engine.canary import AS_OF, CANARY_FILE  # noqa: E402
from checker.policy import load_policy_set  # noqa: E402
from checker.run import RunOptions, _engine_input, collect_inputs  # noqa: E402

SOURCES = ("fixtures/violations/*.yaml", "fixtures/rules/*/fail.yaml")


def main() -> None:
    policy = load_policy_set()
    builtin = {meta.rule_id for meta in policy.rules}
    # The engine's input as a run builds it (collect_inputs binds whatever the run binds to
    # a manifest), judged at the canary's fixed date.
    candidates: dict[str, dict[str, object]] = {}
    for pattern in SOURCES:
        for path in sorted(ROOT.glob(pattern)):
            name = path.relative_to(ROOT).as_posix()
            options = RunOptions(paths=(str(path),), as_of=AS_OF)
            for item in collect_inputs(options, None):
                for doc in item.valid:
                    label = f"{name}#{doc.index}" if doc.index else name
                    candidates[label] = _engine_input(doc, AS_OF)
    # The engine itself, not create_engine: that checks the canary this script replaces.
    engine = ENGINES["embedded"](policy, EngineOptions(documents=1, policy_cache=False))
    try:
        names = list(candidates)
        results = engine.evaluate([candidates[name] for name in names])
    finally:
        engine.close()
    found: dict[str, tuple[set[str], set[str]]] = {}
    for name, result in zip(names, results, strict=True):
        assert result.error is None, (name, result.error)
        present = {str(f["rule_id"]) for f in result.findings}
        failing = {str(f["rule_id"]) for f in result.findings if f.get("status") == "fail"}
        found[name] = (present, failing)
    left, chosen = set(builtin), []
    while left:
        best = max(found, key=lambda n: (len(found[n][0] & left), len(found[n][1])))
        if not found[best][0] & left:
            raise SystemExit(f"no fixture gives a finding for {sorted(left)}")
        chosen.append(best)
        left -= found[best][0]
    cases = [
        {
            "name": name,
            "input": candidates[name],
            "present": sorted(found[name][0]),
            "failing": sorted(found[name][1]),
        }
        for name in chosen
    ]
    text = json.dumps({"as_of": AS_OF, "cases": cases}, indent=1, sort_keys=True)
    CANARY_FILE.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {CANARY_FILE.relative_to(ROOT)}: {len(cases)} manifests, {len(builtin)} rules")


if __name__ == "__main__":
    main()
