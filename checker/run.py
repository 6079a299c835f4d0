"""One run: inputs to documents, validation, evaluation, findings; the result is a Report."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, BinaryIO

from checker import __version__
from checker.engine import EngineOptions, Evaluation, create_engine, resolve_engine_name
from checker.errors import CheckerError, InputError, SourceSpan, UsageError
from checker.findings import ShapeError, to_finding
from checker.loader import Document, LoadedSource, discover, load_ref
from checker.model import EngineInfo, Finding, InputSummary, Problem, Report
from checker.policy import PolicySet, load_policy_set
from checker.topology import topology_of
from checker.validate import duplicate_names, validate_document
from checker.waivers import Waiving, waive

MANIFEST_KIND = "TrainingDeployment"
# Called as progress(phase, done, total) with phase "load" (per file) or "evaluate" (per
# manifest): the CLI draws a bar from it; the core never writes to a terminal itself.
Progress = Callable[[str, int, int], None]
# With a progress callback, manifests go to the engine in about 20 calls (at least 16 per
# call, so parallel workers stay busy) and progress moves; without one, MAP_CHUNK at a time,
# so the raw findings of only one chunk are held at once (memory stays flat with the batch).
EVALUATE_CHUNK = 16
MAP_CHUNK = 64


@dataclass(frozen=True, slots=True)
class RunOptions:
    paths: tuple[str, ...]
    as_of: str
    excludes: tuple[str, ...] = ()
    fail_on: str = "error"
    frameworks: tuple[str, ...] = ()
    policy_dirs: tuple[Path, ...] = ()
    data_files: tuple[Path, ...] = ()
    engine: str = "auto"
    engine_options: EngineOptions = field(default_factory=EngineOptions)
    evaluate: bool = True
    waivers: Path | None = None  # the waivers file, already defaulted by the caller
    skip_non_manifests: bool = False  # pre-commit: a named file without a manifest is a notice


@dataclass(slots=True)
class _Input:
    loaded: LoadedSource
    manifests: list[Document] = field(default_factory=list)
    valid: list[Document] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def is_manifest(doc: Document) -> bool:
    """Infra repos mix kinds: only TrainingDeployment documents (or tdcheck/v1 ones) count."""
    value = doc.value
    return isinstance(value, dict) and (
        value.get("kind") == MANIFEST_KIND or value.get("apiVersion") == "tdcheck/v1"
    )


def collect_inputs(
    options: RunOptions, stdin: BinaryIO | None, progress: Progress | None = None
) -> list[_Input]:
    inputs = []
    refs = list(discover(options.paths, options.excludes))
    for done, ref in enumerate(refs):
        if progress is not None:
            progress("load", done, len(refs))
        item = _Input(load_ref(ref, stdin=stdin))
        item.errors.extend(item.loaded.errors)
        item.notices.extend(item.loaded.notices)
        for doc in item.loaded.documents:
            if is_manifest(doc):
                item.manifests.append(doc)
            else:
                kind = doc.value.get("kind") if isinstance(doc.value, dict) else None
                item.notices.append(
                    f"{doc.source}: document {doc.index + 1} skipped (kind {kind!r} is not "
                    f"{MANIFEST_KIND})"
                )
        if not item.manifests and not item.loaded.errors:
            message = f"no manifest found (no document with kind {MANIFEST_KIND})"
            if ref.explicit and not options.skip_non_manifests:
                item.errors.append(InputError(SourceSpan(ref.display), message))
            else:
                item.notices.append(f"{ref.display}: {message}")
        for doc in item.manifests:
            problems = validate_document(doc)
            item.errors.extend(problems)
            if not problems:
                item.valid.append(doc)
        inputs.append(item)
    valid = [doc for item in inputs for doc in item.valid]
    clashes = duplicate_names(valid)
    clashing = {(e.span.file, e.span.line) for e in clashes}
    for item in inputs:
        item.errors.extend(e for e in clashes if e.span.file == item.loaded.source)
        item.valid = [d for d in item.valid if (d.source, _name_line(d)) not in clashing]
    return inputs


def _name_line(doc: Document) -> int:
    return doc.locate(("metadata", "name"))[0]


def execute(
    options: RunOptions, stdin: BinaryIO | None = None, progress: Progress | None = None
) -> Report:
    """Never raises for bad input or a failing engine: both end up as problems in the Report."""
    policy = load_policy_set(options.policy_dirs, options.data_files) if options.evaluate else None
    inputs = collect_inputs(options, stdin, progress)
    problems = [_input_problem(e) for item in inputs for e in item.errors]
    documents = [doc for item in inputs for doc in item.valid]
    findings: list[Finding] = []
    engine_info = EngineInfo("none", "")
    if policy is not None and documents:
        engine_info, found, failures = _evaluate(options, policy, documents, progress)
        findings.extend(found)
        problems.extend(failures)
    if options.frameworks:
        findings = [f for f in findings if f.framework in options.frameworks]
    waiving = Waiving(tuple(findings))
    if policy is not None:
        waiving = waive(options.waivers, findings, policy.rules, options.as_of, options.frameworks)
        problems.extend(waiving.problems)
    findings = sorted(waiving.findings, key=Finding.sort_key)
    manifests = sum(len(item.manifests) for item in inputs)
    return Report(
        tool_version=__version__,
        engine=engine_info,
        policy_digest=policy.digest if policy else "",
        as_of=options.as_of,
        fail_on=options.fail_on,
        inputs=tuple(_summary(item) for item in inputs),
        findings=tuple(findings),
        problems=tuple(problems),
        rules=policy.rules if policy else (),
        manifests_valid=len(documents),
        manifests_invalid=manifests - len(documents),
        frameworks=tuple(sorted({f.framework for f in findings})),
        topologies=tuple(topology_of(doc) for doc in documents),
        waivers=waiving.waivers,
        unused_waivers=waiving.unused,
    )


def _evaluate(
    options: RunOptions,
    policy: PolicySet,
    documents: Sequence[Document],
    progress: Progress | None = None,
) -> tuple[EngineInfo, list[Finding], list[Problem]]:
    engine_options = replace(options.engine_options, documents=len(documents))
    name = resolve_engine_name(options.engine, engine_options)
    catalogue = {meta.rule_id: meta for meta in policy.rules}
    findings: list[Finding] = []
    problems: list[Problem] = []
    try:
        engine = create_engine(name, policy, engine_options)
    except UsageError:
        raise  # a bad --opa-url or token: the command line is wrong, not the manifests
    except CheckerError as exc:
        # Fail closed: every valid manifest is reported as unevaluated.
        return EngineInfo(name, ""), [], [_unevaluated(doc, str(exc)) for doc in documents]
    try:
        info = EngineInfo(name, engine.version())
        total = len(documents)
        size = max(EVALUATE_CHUNK, -(-total // 20)) if progress else MAP_CHUNK
        for start in range(0, total, size):
            if progress is not None:
                progress("evaluate", start, total)
            # Raw findings are mapped chunk by chunk: held for a whole batch they would
            # outweigh everything else (bench/results.md).
            docs = documents[start : start + size]
            chunk = [_engine_input(doc, options.as_of) for doc in docs]
            try:
                results = engine.evaluate(chunk)
            except CheckerError as exc:  # the engine gave up: these were not evaluated
                results = [Evaluation(error=str(exc)) for _ in chunk]
            for doc, result in zip(docs, results, strict=True):
                if result.error is not None:
                    problems.append(_unevaluated(doc, result.error))
                    continue
                try:
                    findings.extend(to_finding(raw, doc, catalogue) for raw in result.findings)
                except ShapeError as exc:
                    message = f"engine returned a malformed finding: {exc}"
                    problems.append(_unevaluated(doc, message))
    finally:
        engine.close()
    return info, findings, problems


def _engine_input(doc: Document, as_of: str) -> dict[str, Any]:
    value: dict[str, Any] = dict(doc.value)
    value["_tdcheck"] = {"as_of": as_of}
    return value


def _unevaluated(doc: Document, message: str) -> Problem:
    line, column = doc.locate(())
    return Problem("evaluation", doc.source, line, column, f"not evaluated: {message}")


def _input_problem(error: InputError) -> Problem:
    message = f"{error.json_path}: {error.message}" if error.json_path else error.message
    return Problem("input", error.span.file, error.span.line, error.span.column, message)


def _summary(item: _Input) -> InputSummary:
    names = tuple(
        str(doc.value.get("metadata", {}).get("name", ""))
        for doc in item.manifests
        if isinstance(doc.value.get("metadata"), dict)
    )
    return InputSummary(
        path=item.loaded.source,
        sha256=item.loaded.sha256,
        deployments=names,
        errors=tuple(e.one_line() for e in item.errors),
        notices=tuple(item.notices),
    )
