"""One run: inputs to documents, validation, evaluation, findings; the result is a Report.

The run streams, so memory stays flat however many manifests it checks (README, Scaling):
files are loaded and validated about CHUNK manifests at a time; the chunk is evaluated, its
findings mapped to lines, waived and sorted file by file, and appended to the spool
(checker/spool.py), and its documents are let go. What stays in memory is small per file
(summaries and problems) or per run (counts, waivers used, the first use of each name).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, BinaryIO

from checker import __version__
from checker.engine import (
    Engine,
    EngineOptions,
    Evaluation,
    create_engine,
    resolve_engine_name,
)
from checker.errors import CheckerError, InputError, UsageError
from checker.findings import ShapeError, assign_basis, to_finding
from checker.intake import MANIFEST_KIND, Intake, NameRegister, is_manifest, take_in
from checker.loader import Document, discover
from checker.model import EngineInfo, Finding, InputSummary, Problem, Report, Tallier
from checker.policy import PolicySet, load_policy_set
from checker.spool import Spool
from checker.topology import topology_of
from checker.waivers import WaiverBook

__all__ = ["MANIFEST_KIND", "Progress", "RunOptions", "collect_inputs", "execute", "is_manifest"]

# Called as progress(phase, done, total) with phase "load" (before reading each file) or
# "evaluate" (before each engine call), done and total counted in input files: the CLI draws
# a bar from it; the core never writes to a terminal itself.
Progress = Callable[[str, int, int], None]
# Manifests loaded, evaluated and let go together: large enough to keep parallel engine
# workers busy, small enough that documents and raw findings stay a few MB (a manifest
# with its node positions is about 115 KB, its raw findings about as much).
CHUNK = 64
# With a progress callback, a chunk goes to the engine EVALUATE_CHUNK manifests per call,
# so the bar moves on long evaluations; without one, in one call.
EVALUATE_CHUNK = 16


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


def collect_inputs(
    options: RunOptions, stdin: BinaryIO | None, progress: Progress | None = None
) -> list[Intake]:
    """Every input at once, documents included (advise: a few manifests, evaluated often)."""
    refs = list(discover(options.paths, options.excludes))
    names = NameRegister()
    inputs = []
    for done, ref in enumerate(refs):
        if progress is not None:
            progress("load", done, len(refs))
        item = take_in(ref, stdin, options.skip_non_manifests)
        names.admit(item)
        inputs.append(item)
    return inputs


def execute(
    options: RunOptions, stdin: BinaryIO | None = None, progress: Progress | None = None
) -> Report:
    """Never raises for bad input or a failing engine: both end up as problems in the Report."""
    policy = load_policy_set(options.policy_dirs, options.data_files) if options.evaluate else None
    run = _Stream(options, policy, progress)
    try:
        refs = list(discover(options.paths, options.excludes))
        run.total_files = len(refs)
        names = NameRegister()
        chunk: list[Intake] = []
        weight = 0
        for index, ref in enumerate(refs):
            if progress is not None:
                progress("load", index, len(refs))
            item = take_in(ref, stdin, options.skip_non_manifests)
            names.admit(item)
            chunk.append(item)
            # Documents, not valid manifests: invalid ones are held until their chunk ends too.
            weight += max(1, len(item.loaded.documents))
            if weight >= CHUNK:
                run.settle(chunk, remaining=len(refs) - index - 1)
                chunk, weight = [], 0
        run.settle(chunk, remaining=0)
    except BaseException:
        run.spool.close()
        raise
    finally:
        run.evaluator.close()
    return run.report()


class _Stream:
    """What a streaming run keeps between chunks: small, whatever the batch size."""

    def __init__(self, options: RunOptions, policy: PolicySet | None, progress: Progress | None):
        self.options = options
        self.policy = policy
        self.progress = progress
        rules = policy.rules if policy is not None else ()
        if policy is not None:
            self.book = WaiverBook.load(options.waivers, rules, options.as_of, options.frameworks)
        else:
            self.book = WaiverBook((), options.as_of, rules)
        self.spool = Spool(rules, self.book.waivers)
        self.tallier = Tallier(rules)
        self.evaluator = _Evaluator(options, policy)
        self.summaries: list[InputSummary] = []
        self.input_problems: list[Problem] = []
        self.evaluation_problems: list[Problem] = []
        self.manifests = 0
        self.valid = 0
        self.total_files = 0
        self.files_done = 0

    def settle(self, chunk: Sequence[Intake], remaining: int) -> None:
        """Evaluate a chunk, spool its findings and structures; keep only summaries."""
        documents = [doc for item in chunk for doc in item.valid]
        found = self._evaluate(chunk, documents, remaining) if self.policy is not None else []
        frameworks = self.options.frameworks
        start = 0
        for item in chunk:
            count = len(item.valid)
            findings = [f for doc_findings in found[start : start + count] for f in doc_findings]
            start += count
            if frameworks:
                findings = [f for f in findings if f.framework in frameworks]
            findings = self.book.apply(findings)
            findings.sort(key=Finding.sort_key)
            for finding in findings:
                self.tallier.add(finding)
            topologies = [topology_of(doc) for doc in item.valid]
            self.spool.add(item.loaded.source, findings, topologies)
            self.summaries.append(_summary(item))
            self.input_problems.extend(_input_problem(e) for e in item.errors)
            self.manifests += len(item.manifests)
            self.valid += count
        self.files_done += len(chunk)

    def _evaluate(
        self, chunk: Sequence[Intake], documents: Sequence[Document], remaining: int
    ) -> list[list[Finding]]:
        """Each document's findings (none where it was not evaluated: that is a problem)."""
        owner = [n for n, item in enumerate(chunk) for _ in item.valid]
        size = EVALUATE_CHUNK if self.progress is not None else max(1, len(documents))
        only_chunk = self.files_done == 0 and remaining == 0
        found: list[list[Finding]] = []
        for start in range(0, len(documents), size):
            if self.progress is not None:
                # One chunk: reading, then evaluating, each from the first file to the last.
                # Several: the phases alternate, and both count the files read so far, so
                # the bar never moves back.
                done = owner[start] if only_chunk else len(chunk)
                self.progress("evaluate", self.files_done + done, self.total_files)
            docs = documents[start : start + size]
            # The engine's size hint: exact for a run of one chunk, an estimate otherwise.
            results = self.evaluator.evaluate(docs, len(documents) + remaining)
            for doc, result in zip(docs, results, strict=True):
                found.append(self._map(doc, result))
        return found

    def _map(self, doc: Document, result: Evaluation) -> list[Finding]:
        if result.error is not None:
            self.evaluation_problems.append(_unevaluated(doc, result.error))
            return []
        mapped: list[Finding] = []
        try:
            for raw in result.findings:
                mapped.append(to_finding(raw, doc, self.evaluator.catalogue))  # noqa: PERF401
        except ShapeError as exc:  # the findings before the malformed one are kept
            message = f"engine returned a malformed finding: {exc}"
            self.evaluation_problems.append(_unevaluated(doc, message))
        return assign_basis(mapped, self.evaluator.catalogue)

    def report(self) -> Report:
        policy = self.policy
        return Report(
            tool_version=__version__,
            engine=self.evaluator.info,
            policy_digest=policy.digest if policy else "",
            as_of=self.options.as_of,
            fail_on=self.options.fail_on,
            inputs=tuple(self.summaries),
            findings=self.spool.findings(),
            problems=(*self.input_problems, *self.evaluation_problems, *self.book.problems),
            rules=policy.rules if policy else (),
            manifests_valid=self.valid,
            manifests_invalid=self.manifests - self.valid,
            frameworks=tuple(sorted(self.tallier.frameworks)),
            topologies=self.spool.topologies(),
            waivers=self.book.waivers,
            unused_waivers=self.book.unused(),
            tally=self.tallier.tally(),
        )


class _Evaluator:
    """The run's engine, started for the first chunk with a valid manifest, closed at the end.

    If it cannot start, every valid manifest is reported as not evaluated (fail closed).
    """

    def __init__(self, options: RunOptions, policy: PolicySet | None) -> None:
        self._options = options
        self._policy = policy
        self._engine: Engine | None = None
        self._failure: str | None = None
        self.info = EngineInfo("none", "")
        rules = policy.rules if policy is not None else ()
        self.catalogue = {meta.rule_id: meta for meta in rules}

    def evaluate(self, documents: Sequence[Document], expected: int) -> list[Evaluation]:
        if self._engine is None and self._failure is None:
            self._start(expected)
        if self._engine is None:
            return [Evaluation(error=self._failure) for _ in documents]
        chunk = [_engine_input(doc, self._options.as_of) for doc in documents]
        try:
            return self._engine.evaluate(chunk)
        except CheckerError as exc:  # the engine gave up: these were not evaluated
            return [Evaluation(error=str(exc)) for _ in chunk]

    def _start(self, documents: int) -> None:
        assert self._policy is not None
        engine_options = replace(self._options.engine_options, documents=documents)
        name = resolve_engine_name(self._options.engine, engine_options)
        self.info = EngineInfo(name, "")
        try:
            self._engine = create_engine(name, self._policy, engine_options)
        except UsageError:
            raise  # a bad --opa-url or token: the command line is wrong, not the manifests
        except CheckerError as exc:
            self._failure = str(exc)
            return
        self.info = EngineInfo(name, self._engine.version())

    def close(self) -> None:
        if self._engine is not None:
            self._engine.close()
            self._engine = None


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


def _summary(item: Intake) -> InputSummary:
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
