"""The cache as the run uses it: look a file up before parsing it, store it once evaluated.

A hit skips reading the manifest's YAML, validating it, evaluating it and mapping its
findings to lines: what is left is decoding the entry. The run still applies waivers,
the --framework filter and the name check across files to every file, hit or not.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from checker.cache.entry import MAX_VIEWS, Entry, Name
from checker.cache.key import CacheKey, data_digest, evidence_digests, tool_identity
from checker.cache.store import ResultStore
from checker.intake import Intake
from checker.loader import DEFAULT_LIMITS, InputRef
from checker.loader.sniff import declares_manifest
from checker.model import Finding, InputSummary, Problem
from checker.policy import PolicySet
from checker.spool import Encoded


@dataclass(frozen=True, slots=True)
class Probe:
    """A file read once: its bytes (parsed on a miss), its key so far, and the entry if any."""

    ref: InputRef
    data: bytes
    key: CacheKey | None  # None: no manifest by the cheap look, so nothing to look up or store
    entry: Entry | None

    def usable(self, engine: str | None) -> bool:
        """The entry's whole key is the run's: the engine's too, for a file with manifests
        to evaluate (evidence was compared when the entry was read)."""
        entry = self.entry
        if entry is None or self.key is None:
            return False
        if entry.valid and engine is None:
            return False  # this run's engine version is unknown: nothing of it is cached
        recorded = (engine or "") if entry.valid else ""
        return entry.key.engine == recorded and entry.key.same_file(self.key)


class ResultCache:
    def __init__(
        self, store: ResultStore, policy: PolicySet, as_of: str, skip_non_manifests: bool
    ) -> None:
        self._store = store
        self._policy_digest = policy.digest
        self._data_digest = data_digest(policy.data)
        self._as_of = as_of
        self._skip = skip_non_manifests
        self._tool = tool_identity()
        self._digests: dict[Path, str] = {}  # evidence digests taken in this run

    def probe(self, ref: InputRef) -> Probe | None:
        """None for an input that is not a regular file within the size limit (stdin, a
        pipe, a directory): those are always read and evaluated. A file the cheap look
        finds no manifest in comes back with its bytes and no key: the intake skips it
        without reading it again, and nothing of it is cached."""
        if ref.path is None:
            return None
        try:
            # Looked at before it is opened: opening a named pipe would wait for a writer.
            if not stat.S_ISREG(os.stat(ref.path).st_mode):
                return None
            with ref.path.open("rb") as handle:
                data = handle.read(DEFAULT_LIMITS.max_bytes + 1)
        except OSError:
            return None
        if len(data) > DEFAULT_LIMITS.max_bytes:
            return None
        if (self._skip or not ref.explicit) and not declares_manifest(data):
            return Probe(ref, data, None, None)  # the intake skips it unparsed, unread again
        key = CacheKey(
            source=ref.display,
            content=hashlib.sha256(data).hexdigest(),
            explicit=ref.explicit,
            skip_non_manifests=self._skip,
            policy_digest=self._policy_digest,
            data_digest=self._data_digest,
            as_of=self._as_of,
            tool=self._tool,
        )
        entry = self._store.get(key.address())
        if entry is not None:
            recorded = entry.key.evidence
            if evidence_digests((Path(p) for p, _ in recorded), self._digests) != recorded:
                entry = None  # an evidence file changed since: evaluated again
        return Probe(ref, data, key, entry)

    @staticmethod
    def problems(entry: Entry) -> list[Problem]:
        return [Problem(*row) for row in entry.problems]

    def store(  # noqa: PLR0913 - the parts of one file's result
        self,
        probe: Probe,
        engine: str,
        item: Intake,
        summary: InputSummary,
        names: tuple[Name, ...],
        problems: Sequence[Problem],
        findings: tuple[Sequence[Finding], Encoded],
        topologies: Encoded,
    ) -> None:
        """Only for a file whose every valid manifest was evaluated (the caller's check)."""
        assert probe.key is not None
        key = replace(
            probe.key,
            engine=engine if item.valid else "",
            evidence=evidence_digests(item.evidence, self._digests),
        )
        entry = Entry(
            key=key,
            documents=len(item.loaded.documents),
            manifests=len(item.manifests),
            valid=len(item.valid),
            names=names,
            deployments=summary.deployments,
            errors=summary.errors,
            notices=summary.notices,
            problems=tuple((p.kind, p.source, p.line, p.column, p.message) for p in problems),
            findings=findings[1],
            topologies=topologies,
            statuses=tuple(Counter(f.status for f in findings[0]).items()),
            failed=tuple(Counter(f.severity.value for f in findings[0] if f.failed).items()),
            frameworks=tuple(sorted({f.framework for f in findings[0]})),
        )
        self._store.put(key.address(), entry)

    def add_view(self, address: str, view: str, text: bytes) -> None:
        """Keep a renderer's text of an entry's findings with it (newest first, bounded)."""
        entry = self._store.get(address)
        if entry is None:
            return
        kept = tuple(item for item in entry.views if item[0] != view)[: MAX_VIEWS - 1]
        self._store.put(address, replace(entry, views=((view, text), *kept)))

    def close(self) -> None:
        self._store.close()
