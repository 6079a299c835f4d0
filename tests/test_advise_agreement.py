"""`advise` agrees with `check`, with itself unbatched, and across the two engines.

- check: moving a stage where advise allows it gives no new error failure; where advise
  blocks it, check fails exactly the blocking rules for that stage; where it needs
  transfers, check fails no stage rule for it and does fail the transfer rules it named;
- the grouped variants (several stages moved per evaluation) give exactly the placements
  of one variant per placement;
- regopy, OPA's Wasm build and an OPA server give the same advice.
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from checker.advise import AdviseOptions, advise
from checker.advise.parts import remap, split
from checker.loader import load_path
from checker.run import RunOptions
from tests.advise_data import AS_OF, SCENARIO_DIRS, advice, bench
from tests.conftest import run_cli


def _manifests() -> dict[str, dict[str, Any]]:
    values = {}
    for directory in SCENARIO_DIRS:
        for path in sorted(Path(directory).glob("*.yaml")):
            (doc,) = load_path(path, str(path)).documents
            values[str(path)] = doc.value
    return values


def _key(f: dict[str, Any]) -> tuple[Any, ...]:
    t = f["transfer"] or {}
    where = (t.get("from"), t.get("to"), tuple(t.get("datasets", ())))
    return (f["rule_id"], f["stage"], f["location"], where)


def test_advise_agrees_with_check(tmp_path: Path, opa_binary: str) -> None:
    originals = _manifests()
    advised = [m for d in SCENARIO_DIRS for m in advice(d)["manifests"]]
    documents, cases = [], {}
    for m in advised:
        original = originals[m["manifest"]]
        documents.append((m["manifest"], original))
        for stage in m["stages"]:
            for p in stage["placements"]:
                if p["current"]:
                    continue
                variant = copy.deepcopy(original)
                name = f"{original['metadata']['name']}-v{len(cases)}"
                variant["metadata"]["name"] = name
                for s in variant["spec"]["stages"]:
                    if s["id"] == stage["id"]:
                        s["location"] = p["location"]
                documents.append((m["manifest"], variant))
                cases[name] = (original["metadata"]["name"], stage["id"], p)
    # Beside a copy of the Terraform their locations bind (evidence paths are relative).
    for directory in SCENARIO_DIRS:
        if (Path(directory) / "infra").is_dir():
            shutil.copytree(Path(directory) / "infra", tmp_path / Path(directory).name / "infra")
    for i, (source, document) in enumerate(documents):  # JSON: YAML dumps are not 1.2 safe
        folder = tmp_path / Path(source).parent.name
        folder.mkdir(exist_ok=True)
        (folder / f"{i:04}.json").write_text(json.dumps(document), encoding="utf-8")
    result = run_cli("check", str(tmp_path), "-f", "json", "--engine", "opa", "--as-of", AS_OF)
    report = json.loads(result.out)
    assert report["errors"] == [], [e["message"] for e in report["errors"]][:3]
    errors: dict[str, set[tuple[Any, ...]]] = {}
    for f in report["findings"]:
        if f["status"] == "fail" and f["severity"] == "error":
            errors.setdefault(f["deployment"], set()).add(_key(f))
    assert len(cases) > 50
    for name, (base, stage_id, placement) in cases.items():
        failing = errors.get(name, set())
        stage_rules = {k[0] for k in failing if k[1] == stage_id}
        where = f"{name}: {stage_id} at {placement['location']}"
        if placement["verdict"] == "allowed":
            assert failing <= errors.get(base, set()), where
        elif placement["verdict"] == "needs_transfers":
            assert not stage_rules, where
            assert {f["rule_id"] for f in placement["transfers"]} <= {k[0] for k in failing}
        else:
            assert stage_rules == {f["rule_id"] for f in placement["blocking"]}, where


def test_grouped_variants_equal_one_variant_per_placement(tmp_path: Path, opa_binary: str) -> None:
    pipelines, chain = tmp_path / "pipelines.json", tmp_path / "chain.json"
    pipelines.write_text(json.dumps(bench().generate_manifest(12, 6)), encoding="utf-8")
    chain.write_text(json.dumps(bench().generate_manifest(8, 5, connected=True)), encoding="utf-8")
    paths = (*SCENARIO_DIRS, str(pipelines), str(chain))
    run = RunOptions(paths=paths, as_of=AS_OF, engine="opa")
    grouped = advise(AdviseOptions(run=run))
    single = advise(AdviseOptions(run=run, exhaustive=True))
    assert not grouped.problems and not single.problems
    assert len(grouped.manifests) == 14
    for mine, theirs in zip(grouped.manifests, single.manifests, strict=True):
        assert mine.stages == theirs.stages, mine.manifest
        assert mine.evaluations < theirs.evaluations
    # A pipeline is two-colourable: two variants per location it does not wholly run at.
    # One chain: odd stages all run at one location already, so that variant is skipped.
    assert grouped.manifests[-1].evaluations == 1 + 2 * 5 - 1
    assert grouped.manifests[-2].evaluations == 1 + 3 * (2 * 6 - 2)  # three pipelines


@pytest.mark.parametrize("directory", SCENARIO_DIRS, ids=("examples", "violations"))
def test_engines_agree_on_advice(directory: str, opa_binary: str) -> None:
    embedded, real = dict(advice(directory)), dict(advice(directory, engine="opa"))
    wasm = dict(advice(directory, engine="wasm"))
    names = (embedded.pop("engine")["name"], real.pop("engine")["name"], wasm.pop("engine")["name"])
    assert names == ("embedded", "opa", "wasm")
    assert embedded == real
    assert wasm == real


def test_thirty_stages_ten_locations(tmp_path: Path, opa_binary: str) -> None:
    generated = tmp_path / "generated.json"
    generated.write_text(json.dumps(bench().generate_manifest(30, 10)), encoding="utf-8")
    result = run_cli("advise", str(generated), "-f", "json", "--engine", "opa", "--as-of", AS_OF)
    (m,) = json.loads(result.out)["manifests"]
    assert m["evaluations"] == 1 + 6 * (2 * 10 - 2)  # six pipelines of five
    assert sum(len(s["placements"]) for s in m["stages"]) == 300
    verdicts = {p["verdict"] for s in m["stages"] for p in s["placements"]}
    assert verdicts == {"allowed", "needs_transfers", "blocked"}


def test_independent_pipelines_are_evaluated_apart() -> None:
    spec = bench().generate_manifest(30, 10)["spec"]
    parts = split(spec)
    assert [p.stages for p in parts] == [tuple(range(i, i + 5)) for i in range(0, 30, 5)]
    assert len(split(bench().generate_manifest(30, 10, connected=True)["spec"])) == 1
    cut_to = parts[1].at(spec, "loc-9")  # stages 5-9 run at loc-1 and loc-2; moved to loc-9
    assert cut_to.locations == (1, 2, 9)
    assert remap(["spec", "stages", 0, "inputs", 0], cut_to) == ["spec", "stages", 5, "inputs", 0]
    assert remap(["spec", "locations", 2, "country"], cut_to) == ["spec", "locations", 9, "country"]
    assert remap(["spec", "model", "parameters_b"], cut_to) == ["spec", "model", "parameters_b"]
