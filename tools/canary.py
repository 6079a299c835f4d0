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

from checker.engine import EngineOptions, create_engine  # noqa: E402
from checker.engine.canary import AS_OF, CANARY_FILE, engine_input  # noqa: E402
from checker.loader import load_path  # noqa: E402
from checker.policy import load_policy_set  # noqa: E402

SOURCES = ("fixtures/violations/*.yaml", "fixtures/rules/*/fail.yaml")


def main() -> None:
    policy = load_policy_set()
    builtin = {meta.rule_id for meta in policy.rules}
    candidates: dict[str, dict[str, object]] = {}
    for pattern in SOURCES:
        for path in sorted(ROOT.glob(pattern)):
            loaded = load_path(path, path.relative_to(ROOT).as_posix())
            for doc in loaded.documents:
                if isinstance(doc.value, dict) and doc.value.get("kind") == "TrainingDeployment":
                    name = f"{loaded.source}#{doc.index}" if doc.index else loaded.source
                    candidates[name] = doc.value
    engine = create_engine("embedded", policy, EngineOptions(documents=1, policy_cache=False))
    try:
        names = list(candidates)
        results = engine.evaluate([engine_input(candidates[name]) for name in names])
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
            "manifest": candidates[name],
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
