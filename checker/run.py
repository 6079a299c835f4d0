"""One run: inputs to documents, validation, evaluation, findings; the result is a Report.

The run streams, so memory stays flat however many manifests it checks (docs/performance.md):
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
from checker.cache.results import Probe, ResultCache
from checker.engine import (
    Engine,
    EngineOptions,
    Evaluation,
    create_engine,
    resolve_engine_name,
)
from checker.errors import CheckerError, InputError, PolicyMismatch, UsageError
from checker.evidence import EvidenceBinder
from checker.findings import ShapeError, assign_basis, to_finding
from checker.intake import MANIFEST_KIND, Intake, NameRegister, is_manifest, take_in
from checker.loader import Document, InputRef, declares_a_manifest, discover
from checker.model import EngineInfo, Finding, InputSummary, Problem, Report, Tallier
from checker.policy import PolicySet, load_policy_set
from checker.shard import Shard
from checker.spool import Encoded, Spool
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
NOTHING_CHECKED = (
    f"no manifests found (no file declares kind: {MANIFEST_KIND} or apiVersion: tdcheck/...; "
    "hidden, vendored and gitignored directories are not walked; -v lists the files skipped)"
)


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
    gitignore: bool = True  # walks leave out what the repository's .gitignore files ignore
    cache: bool = False  # keep each file's findings across runs (checker/cache/)
    shard: Shard | None = None  # check only this share of the inputs (checker/shard.py)


def collect_inputs(
    options: RunOptions, stdin: BinaryIO | None, progress: Progress | None = None
) -> list[Intake]:
    """Every input at once, documents included (advise: a few manifests, evaluated often)."""
    refs = list(discover(options.paths, options.excludes, options.gitignore))
    names = NameRegister()
    evidence = EvidenceBinder()
    inputs = []
    for done, ref in enumerate(refs):
        if progress is not None:
            progress("load", done, len(refs))
        item = take_in(ref, stdin, options.skip_non_manifests, evidence)
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
        refs = list(discover(options.paths, options.excludes, options.gitignore))
        if options.shard is not None:
            run.discovered = len(refs)
            refs, run.elsewhere = options.shard.split(refs)
        run.total_files = len(refs)
        names = NameRegister()
        chunk: list[_Item] = []
        weight = 0
        for index, ref in enumerate(refs):
            if progress is not None:
                progress("load", index, len(refs))
            probe = run.cache.probe(ref) if run.cache is not None else None
            entry = probe.entry if probe is not None else None
            if (
                probe is not None
                and entry is not None
                and names.admit_cached(ref.display, entry.names)
            ):
                chunk.append(probe)
                weight += max(1, entry.documents)
                if weight >= CHUNK:
                    run.settle(chunk, remaining=len(refs) - index - 1)
                    chunk, weight = [], 0
                continue
            data = probe.data if probe is not None else None
            item = take_in(ref, stdin, options.skip_non_manifests, run.evidence, data)
            keep = probe is not None and probe.key is not None and not names.clashes(item)
            names.admit(item)
            chunk.append(_Miss(item, probe if keep else None))
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
        if run.cache is not None:
            run.cache.close()
    return run.report()


@dataclass(slots=True)
class _Miss:
    """A file read and validated in this run; `probe` set when its result may be cached."""

    item: Intake
    probe: Probe | None


_Item = _Miss | Probe  # a Probe in a chunk is a cache hit


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
        self.cache = _open_cache(options, policy)
        rendered = self.cache.add_view if self.cache is not None else None
        self.spool = Spool(rules, self.book.waivers, rendered)
        self.tallier = Tallier(rules)
        self.evaluator = _Evaluator(options, policy)
        self.discovered = 0  # inputs found before --shard took this run's share
        self.elsewhere: list[InputRef] = []  # the inputs other shards check
        self._elsewhere_declares: bool | None = None
        self.evidence = EvidenceBinder()  # Terraform read once per run, whichever file binds it
        self.summaries: list[InputSummary] = []
        self.input_problems: list[Problem] = []
        self.evaluation_problems: list[Problem] = []
        self.manifests = 0
        self.valid = 0
        self.total_files = 0
        self.files_done = 0

    def settle(self, chunk: Sequence[_Item], remaining: int) -> None:
        """Evaluate a chunk, spool its findings and structures; keep only summaries."""
        chunk = self._check_hits(chunk, remaining)
        misses = [part.item for part in chunk if isinstance(part, _Miss)]
        documents = [doc for item in misses for doc in item.valid]
        found = self._evaluate(misses, documents, remaining) if self.policy is not None else []
        start = 0
        for part in chunk:
            if isinstance(part, Probe):
                self._add_hit(part)
                continue
            item = part.item
            count = len(item.valid)
            evaluated = found[start : start + count]
            start += count
            findings = [f for doc_findings, _ in evaluated for f in doc_findings]
            summary = _summary(item)
            problems = [input_problem(e) for e in item.errors]
            topologies = Spool.encode_topologies([topology_of(doc) for doc in item.valid])
            memo = None
            if part.probe is not None and self.cache is not None and all(ok for _, ok in evaluated):
                # With manifests, the engine has been chosen by now (it evaluated them).
                engine = self.evaluator.identity(count) if count else ""
                if engine is not None:
                    ordered = sorted(findings, key=Finding.sort_key)
                    encoded = (ordered, self.spool.encode_findings(ordered))
                    uses = NameRegister.uses(item)
                    self.cache.store(
                        part.probe, engine, item, summary, uses, problems, encoded, topologies
                    )
                    memo = part.probe.key.address() if part.probe.key is not None else None
            self._add(item.loaded.source, findings, topologies, summary, problems, memo)
            self.manifests += len(item.manifests)
            self.valid += count
        self.files_done += len(chunk)

    def _check_hits(self, chunk: Sequence[_Item], remaining: int) -> Sequence[_Item]:
        """Hits evaluated by another engine than this run's are read and evaluated again."""
        if not any(isinstance(part, Probe) for part in chunk):
            return chunk
        valid = 0
        for part in chunk:
            if isinstance(part, _Miss):
                valid += len(part.item.valid)
            elif part.entry is not None:
                valid += part.entry.valid
        engine = self.evaluator.identity(valid + remaining) if valid else None
        checked: list[_Item] = []
        for part in chunk:
            if isinstance(part, Probe) and not part.usable(engine):
                skip = self.options.skip_non_manifests
                item = take_in(part.ref, None, skip, self.evidence, part.data)
                NameRegister().admit(item)  # its names were admitted across files already
                checked.append(_Miss(item, part))
            else:
                checked.append(part)
        return checked

    def _add_hit(self, probe: Probe) -> None:
        # A hit was looked up by its key.
        assert self.cache is not None and probe.entry is not None and probe.key is not None
        entry = probe.entry
        summary = InputSummary(
            probe.ref.display, probe.key.content, entry.deployments, entry.errors, entry.notices
        )
        problems = self.cache.problems(entry)
        self.manifests += entry.manifests
        self.valid += entry.valid
        if self.options.frameworks or self.book.concerns(entry.deployments):
            findings = self.spool.decode_findings(entry.findings)
            self._add(probe.ref.display, findings, entry.topologies, summary, problems)
            return
        # Stored in report order, and nothing here would change them: spooled as they are.
        address = probe.key.address()
        self.spool.add_encoded(
            probe.ref.display, entry.findings, entry.topologies, address, entry.views
        )
        self.tallier.add_counts(entry.statuses, entry.failed, entry.frameworks)
        self.summaries.append(summary)
        self.input_problems.extend(problems)

    def _add(
        self,
        source: str,
        findings: list[Finding],
        topologies: Encoded,
        summary: InputSummary,
        problems: Sequence[Problem],
        memo: str | None = None,
    ) -> None:
        """One file's findings (before waivers), filtered, waived, sorted and spooled;
        `memo`: the cache entry they were stored as, while nothing here changes them."""
        frameworks = self.options.frameworks
        if frameworks:
            findings = [f for f in findings if f.framework in frameworks]
        if frameworks or self.book.concerns(summary.deployments):
            memo = None
        findings = self.book.apply(findings)
        findings.sort(key=Finding.sort_key)
        for finding in findings:
            self.tallier.add(finding)
        self.spool.add_encoded(source, self.spool.encode_findings(findings), topologies, memo)
        self.summaries.append(summary)
        self.input_problems.extend(problems)

    def _evaluate(
        self, chunk: Sequence[Intake], documents: Sequence[Document], remaining: int
    ) -> list[tuple[list[Finding], bool]]:
        """Each document's findings and whether it was wholly evaluated (if not, that is a
        problem, and the findings are those mapped before it)."""
        owner = [n for n, item in enumerate(chunk) for _ in item.valid]
        size = EVALUATE_CHUNK if self.progress is not None else max(1, len(documents))
        only_chunk = self.files_done == 0 and remaining == 0
        found: list[tuple[list[Finding], bool]] = []
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

    def _map(self, doc: Document, result: Evaluation) -> tuple[list[Finding], bool]:
        if result.error is not None:
            self.evaluation_problems.append(_unevaluated(doc, result.error))
            return [], False
        mapped: list[Finding] = []
        try:
            for raw in result.findings:
                mapped.append(to_finding(raw, doc, self.evaluator.catalogue))  # noqa: PERF401
        except ShapeError as exc:  # the findings before the malformed one are kept
            message = f"engine returned a malformed finding: {exc}"
            self.evaluation_problems.append(_unevaluated(doc, message))
            return assign_basis(mapped, self.evaluator.catalogue), False
        return assign_basis(mapped, self.evaluator.catalogue), True

    def _manifest_elsewhere(self) -> bool:
        """Whether another shard's inputs declare a manifest (read once per run)."""
        if self._elsewhere_declares is None:
            self._elsewhere_declares = any(declares_a_manifest(ref) for ref in self.elsewhere)
        return self._elsewhere_declares

    def _nothing_checked(self) -> tuple[Problem, ...]:
        """Given paths but no manifest: a gate pointed at the wrong folder must not stay green.

        Not for pre-commit's file lists (a commit touching no manifest is clean), nor when
        an input already failed (that error says more).
        """
        # Pre-commit's file lists name files; a directory given with --skip-non-manifests
        # (a configuration made for pre-commit, used by CI) is still a walk that must find one.
        file_list = self.options.skip_non_manifests and not any(
            Path(p).is_dir() for p in self.options.paths
        )
        if self.manifests or self.input_problems or file_list:
            return ()
        if self._manifest_elsewhere():
            return ()  # another shard checks it: _notices says so
        return tuple(Problem("input", path, 0, 0, NOTHING_CHECKED) for path in self.options.paths)

    def report(self) -> Report:
        policy = self.policy
        return Report(
            tool_version=__version__,
            engine=self.evaluator.info,
            policy_digest=(self.evaluator.policy_revision or policy.digest) if policy else "",
            as_of=self.options.as_of,
            fail_on=self.options.fail_on,
            inputs=tuple(self.summaries),
            findings=self.spool.findings(),
            problems=(
                *self.input_problems,
                *self._nothing_checked(),
                *self.evaluation_problems,
                *self.book.problems,
            ),
            rules=policy.rules if policy else (),
            manifests_valid=self.valid,
            manifests_invalid=self.manifests - self.valid,
            frameworks=tuple(sorted(self.tallier.frameworks)),
            topologies=self.spool.topologies(),
            waivers=self.book.waivers,
            unused_waivers=self.book.unused(),
            tally=self.tallier.tally(),
            notices=self._notices(),
        )

    def _notices(self) -> tuple[str, ...]:
        shard = self.options.shard
        if shard is None or self.manifests or self.input_problems or not self.elsewhere:
            return ()
        if not self._manifest_elsewhere():
            return ()  # no shard has a manifest: _nothing_checked reports it
        # Not "no manifests found": the inputs exist, and the other shards check theirs.
        held = f"none of the {self.discovered} input file(s) found"
        if self.total_files:
            held = f"{self.total_files} of the {self.discovered} input file(s) found, no manifest"
        return (f"shard {shard} holds {held}; the other shards check the rest",)


class _Evaluator:
    """The run's engine, started for the first chunk with a valid manifest, closed at the end.

    If it cannot start, every valid manifest is reported as not evaluated (fail closed).
    """

    def __init__(self, options: RunOptions, policy: PolicySet | None) -> None:
        self._options = options
        self._policy = policy
        self._engine: Engine | None = None
        self._failure: str | None = None
        self._name: str | None = None  # resolved once, by the first chunk with a manifest
        self._identity: str | None = None
        self._probed = False
        self.info = EngineInfo("none", "")
        self.policy_revision: str | None = None  # a remote server's, when it is not ours
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

    def identity(self, documents: int) -> str | None:
        """The engine's name and version for the result cache, without starting it; the
        same choice `_start` makes for `documents` manifests. None: results not cached."""
        options = replace(self._options.engine_options, documents=documents)
        if self._name is None:
            self._name = resolve_engine_name(self._options.engine, options, self._policy)
        if not self._probed:
            from checker.engine.identity import engine_version

            self._probed = True
            assert self._policy is not None
            version = engine_version(self._name, options, self._policy)
            if version is not None:
                self._identity = f"{self._name} {version}"
                if self._engine is None and self._failure is None:
                    self.info = EngineInfo(self._name, version)  # named even if none evaluated
        return self._identity

    def _start(self, documents: int) -> None:
        assert self._policy is not None
        engine_options = replace(self._options.engine_options, documents=documents)
        if self._name is None:
            self._name = resolve_engine_name(self._options.engine, engine_options, self._policy)
        name = self._name
        self.info = EngineInfo(name, "")
        try:
            self._engine = create_engine(name, self._policy, engine_options)
        except (UsageError, PolicyMismatch):
            # A bad --opa-url or token: the command line is wrong, not the manifests. An
            # engine that fails the canary or serves other policies: no report at all.
            raise
        except CheckerError as exc:
            self._failure = str(exc)
            return
        self.info = EngineInfo(name, self._engine.version())
        self.policy_revision = getattr(self._engine, "policy_revision", None)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.close()
            self._engine = None


def _engine_input(doc: Document, as_of: str) -> dict[str, Any]:
    value: dict[str, Any] = dict(doc.value)
    value["_tdcheck"] = {"as_of": as_of, "evidence": dict(doc.evidence or {})}
    return value


def _open_cache(options: RunOptions, policy: PolicySet | None) -> ResultCache | None:
    if not options.cache or policy is None:
        return None
    from checker.cache.store import ResultStore

    store = ResultStore.open()
    if store is None:
        return None
    return ResultCache(store, policy, options.as_of, options.skip_non_manifests)


def _unevaluated(doc: Document, message: str) -> Problem:
    line, column = doc.locate(())
    return Problem("evaluation", doc.source, line, column, f"not evaluated: {message}")


def input_problem(error: InputError) -> Problem:
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
