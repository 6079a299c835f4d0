"""One advise run: load and validate like `check`, evaluate every placement, assemble advice.

Never raises for bad input or a failing engine: both become problems in the AdviceReport
(exit 2 and 3), like `check`. Waivers do not apply: advise asks what the rules allow.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, BinaryIO

from checker import __version__
from checker.advise.evaluate import Evaluated, evaluate_all, plan_all
from checker.advise.matrix import stage_advice
from checker.advise.model import AdviceReport, LocationInfo, ManifestAdvice
from checker.advise.summary import summarise
from checker.engine import create_engine, resolve_engine_name
from checker.errors import CheckerError, InputError
from checker.loader import Document
from checker.model import EngineInfo, Finding, Problem, fail_threshold
from checker.policy import load_policy_set
from checker.run import RunOptions, collect_inputs


@dataclass(frozen=True, slots=True)
class AdviseOptions:
    run: RunOptions  # paths, policies, data, as-of, engine: as for `check`
    fail_on: str = "error"  # the lowest severity that blocks a placement
    exhaustive: bool = False  # one variant per placement (tests: the grouping must agree)


def advise(options: AdviseOptions, stdin: BinaryIO | None = None) -> AdviceReport:
    run = options.run
    policy = load_policy_set(run.policy_dirs, run.data_files)
    inputs = collect_inputs(run, stdin)
    problems = [_input_problem(e) for item in inputs for e in item.errors]
    documents = [doc for item in inputs for doc in item.valid]
    engine_info = EngineInfo("none", "")
    revision: str | None = None  # a remote server's policies (--opa-trust-remote-policy)
    manifests: list[ManifestAdvice] = []
    if documents:
        plans = plan_all(documents, options.exhaustive)
        # Every variant is a manifest to the engine: `auto` and the worker count go by them.
        engine_options = replace(run.engine_options, documents=sum(map(len, plans)))
        name = resolve_engine_name(run.engine, engine_options, policy)
        engine_info = EngineInfo(name, "")
        catalogue = {meta.rule_id: meta for meta in policy.rules}
        try:
            engine = create_engine(name, policy, engine_options)
            try:
                engine_info = EngineInfo(name, engine.version())
                revision = getattr(engine, "policy_revision", None)
                evaluated = evaluate_all(engine, documents, plans, run.as_of, catalogue)
            finally:
                engine.close()
        except CheckerError as exc:  # fail closed: every manifest unevaluated
            evaluated = [Evaluated(doc, error=str(exc)) for doc in documents]
        threshold = fail_threshold(options.fail_on)
        for item in evaluated:
            try:
                if item.error is None:
                    manifests.append(_manifest_advice(item, threshold))
            except (KeyError, StopIteration, IndexError) as exc:
                # An engine (say an OPA server with an older bundle) left a fact out.
                item = Evaluated(item.doc, error=f"incomplete advise facts from the engine: {exc}")
            if item.error is not None:
                problems.append(_unevaluated(item.doc, item.error))
    return AdviceReport(
        tool_version=__version__,
        engine=engine_info,
        policy_digest=revision or policy.digest,
        as_of=run.as_of,
        fail_on=options.fail_on,
        manifests=tuple(manifests),
        problems=tuple(problems),
    )


def _manifest_advice(item: Evaluated, threshold: int) -> ManifestAdvice:
    value: Mapping[str, Any] = item.doc.value
    spec = value["spec"]
    baseline = item.outcomes[0]
    stages = stage_advice(spec, item.outcomes, threshold)
    locations = _locations(baseline.facts_of("location"), baseline.findings, spec)
    architecture = next(iter(baseline.facts_of("architecture")), {})
    return ManifestAdvice(
        manifest=item.doc.source,
        deployment=str(value.get("metadata", {}).get("name", "")),
        evaluations=len(item.outcomes),
        locations=locations,
        stages=stages,
        summary=summarise(architecture, locations, stages, baseline.findings),
    )


def _locations(
    facts: Sequence[Mapping[str, Any]], findings: Sequence[Finding], spec: Mapping[str, Any]
) -> tuple[LocationInfo, ...]:
    by_id = {str(fact["location"]): fact for fact in facts}
    return tuple(
        LocationInfo(
            id=loc_id,
            kind=str(by_id[loc_id]["kind"]),
            country=str(by_id[loc_id]["country"]),
            category=str(by_id[loc_id]["category"]),
            findings=tuple(
                sorted(
                    (
                        f
                        for f in findings
                        if f.failed and f.subject == "location" and f.location == loc_id
                    ),
                    key=Finding.sort_key,
                )
            ),
        )
        for loc_id in (str(loc["id"]) for loc in spec["locations"])
    )


def _input_problem(error: InputError) -> Problem:
    message = f"{error.json_path}: {error.message}" if error.json_path else error.message
    return Problem("input", error.span.file, error.span.line, error.span.column, message)


def _unevaluated(doc: Document, message: str) -> Problem:
    line, column = doc.locate(())
    return Problem("evaluation", doc.source, line, column, f"not evaluated: {message}")
