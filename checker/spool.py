"""A run's findings and manifest structures in a temporary file, one record per input file.

Held in memory for a whole batch they were most of the run's peak (10,000 manifests: a
million findings, 6.9 GB with the rest; bench/results.md). The run appends each input
file's findings (sorted) and topologies as soon as the file is evaluated, and keeps only
counts (a Tally); renderers read the records back, one file at a time, every time they
iterate. The file is anonymous (removed by the system when closed, even after a crash) and
stays in memory while small, so a pre-commit run never touches the disk.

Records are compressed pickles of plain tuples: the file is private to this process and
written by it, and tuples rebuild several times faster than pickled dataclasses. A
finding's title, citation and remediation are the catalogue's unless the checker wrote
its own (WAIVER-EXPIRED); its waiver is an index into the run's waivers.
"""

from __future__ import annotations

import io
import pickle
import tempfile
import weakref
import zlib
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, groupby
from typing import IO, Any

from checker.errors import CheckerError
from checker.model import (
    FileRenderer,
    Finding,
    Movement,
    RuleMeta,
    Severity,
    StoredFindings,
    Waiver,
)
from checker.topology import DatasetNode, LocationNode, StageNode, Topology, TransferEdge

_IN_MEMORY = 4 << 20  # bytes kept in memory before the spool moves to a file
_SEVERITY = {s.value: s for s in Severity}
# What a record may rebuild besides builtins: its blobs can come from the result cache.
_RECORD_TYPES = {
    (cls.__module__, cls.__name__): cls
    for cls in (Topology, DatasetNode, LocationNode, StageNode, TransferEdge, Waiver)
}


@dataclass(frozen=True, slots=True)
class _Record:
    manifest: str
    findings: tuple[int, int]  # offset, length (offset -1: none)
    topologies: tuple[int, int]
    count: int  # findings
    # The result cache's address of an entry holding exactly these findings (no waiver or
    # filter changed them), and that entry's renderings: (view, offset, length).
    memo: str | None = None
    views: tuple[tuple[str, int, int], ...] = ()


# Told (memo address, view, compressed text) of each file a renderer rendered itself.
RenderedSink = Callable[[str, str, bytes], None]


class Spool:
    """Written by the run (`add`, one input file at a time), then read by the Report."""

    def __init__(
        self,
        rules: Sequence[RuleMeta],
        waivers: Sequence[Waiver],
        rendered: RenderedSink | None = None,
    ) -> None:
        self._file: IO[bytes] = tempfile.SpooledTemporaryFile(  # noqa: SIM115 - closed below
            max_size=_IN_MEMORY, prefix="tdcheck-spool-"
        )
        # Closed when the last Report reading it is gone, without a ResourceWarning.
        self._closer = weakref.finalize(self, self._file.close)
        self._meta = {m.rule_id: (m.title, m.citation, m.remediation) for m in rules}
        self._waivers = tuple(waivers)
        self._waiver_index = {id(w): i for i, w in enumerate(self._waivers)}
        self._records: list[_Record] = []
        self._count = 0
        self._topology_count = 0
        self._last: tuple[int, tuple[Finding, ...]] | None = None  # one record decoded
        self._rendered = rendered
        self._end = 0  # the file's length: where the next record goes
        self._at_end = True  # the file's position is its end (no read since the last write)
        self._kept: set[tuple[int, str]] = set()  # told once, however often a report renders

    def add(
        self, manifest: str, findings: Sequence[Finding], topologies: Sequence[Topology]
    ) -> None:
        """One input file: its findings in report order, its valid manifests' structures."""
        if not findings and not topologies:
            return
        rows = [self._row(f) for f in findings]
        self._records.append(
            _Record(manifest, self._write(rows), self._write(tuple(topologies)), len(rows))
        )
        self._count += len(rows)
        self._topology_count += len(topologies)

    def add_encoded(
        self,
        manifest: str,
        findings: Encoded,
        topologies: Encoded,
        memo: str | None = None,
        views: Sequence[tuple[str, bytes]] = (),
    ) -> None:
        """One input file as `encode_findings` and `encode_topologies` gave it (the result
        cache keeps them so): appended as they are, neither decoded nor encoded again.
        `memo`: the cache entry these findings are exactly; `views`: its renderings."""
        if not findings.count and not topologies.count:
            return
        spooled = tuple(
            (view, *self._append(Encoded(blob, 1))) for view, blob in views if findings.count
        )
        record = _Record(
            manifest,
            self._append(findings),
            self._append(topologies),
            findings.count,
            memo if findings.count else None,
            spooled,
        )
        self._records.append(record)
        self._count += findings.count
        self._topology_count += topologies.count

    def encode_findings(self, findings: Sequence[Finding]) -> Encoded:
        """Findings without waivers, as a record holds them."""
        return Encoded(_blob([self._row(f) for f in findings]), len(findings))

    @staticmethod
    def encode_topologies(topologies: Sequence[Topology]) -> Encoded:
        return Encoded(_blob(tuple(topologies)), len(topologies))

    def decode_findings(self, encoded: Encoded) -> list[Finding]:
        rows: list[tuple[Any, ...]] = _unblob(encoded.blob) if encoded.blob else []
        return [self._finding(row) for row in rows]

    def close(self) -> None:
        self._closer()

    def findings(self) -> SpooledFindings:
        return SpooledFindings(self)

    def topologies(self) -> SpooledTopologies:
        return SpooledTopologies(self)

    # -- reading ----------------------------------------------------------------------------

    def records(self) -> Sequence[_Record]:
        return self._records

    def count(self) -> int:
        return self._count

    def topology_count(self) -> int:
        return self._topology_count

    def findings_at(self, index: int) -> tuple[Finding, ...]:
        if self._last is not None and self._last[0] == index:
            return self._last[1]
        rows: list[tuple[Any, ...]] = self._read(self._records[index].findings)
        decoded = tuple(self._finding(row) for row in rows)
        self._last = (index, decoded)
        return decoded

    def rendered_at(self, index: int, view: str) -> str | None:
        """The file's text in this view, as the result cache kept it; None if it has none."""
        for name, offset, length in self._records[index].views:
            if name == view:
                try:
                    return zlib.decompress(self._read_blob(offset, length)).decode("utf-8")
                except (zlib.error, UnicodeDecodeError):
                    return None  # rendered from the findings instead: text is never guessed
        return None

    def keep_rendered(self, index: int, view: str, text: str) -> None:
        """A renderer's text of a file whose findings came from (or went to) the cache."""
        memo = self._records[index].memo
        if memo is not None and self._rendered is not None and (index, view) not in self._kept:
            self._kept.add((index, view))
            self._rendered(memo, view, zlib.compress(text.encode("utf-8"), 1))

    def topologies_at(self, index: int) -> tuple[Topology, ...]:
        topologies: tuple[Topology, ...] = self._read(self._records[index].topologies)
        return topologies

    # -- encoding ---------------------------------------------------------------------------

    def _row(self, f: Finding) -> tuple[Any, ...]:
        texts = (f.title, f.citation, f.remediation)
        t = f.transfer
        return (
            f.rule_id,
            f.framework,
            f.severity.value,
            f.status,
            f.subject,
            f.stage,
            f.location,
            (t.source, t.target, t.datasets) if t is not None else None,
            f.message,
            f.path,
            None if self._meta.get(f.rule_id) == texts else texts,
            f.manifest,
            f.deployment,
            f.line,
            f.column,
            self._waiver_ref(f.waiver),
            f.basis,
        )

    def _waiver_ref(self, waiver: Waiver | None) -> int | Waiver | None:
        if waiver is None:
            return None
        index = self._waiver_index.get(id(waiver))
        return waiver if index is None else index  # not one of the run's: stored whole

    def _finding(self, row: tuple[Any, ...]) -> Finding:
        transfer, texts, waiver = row[7], row[10], row[15]
        title, citation, remediation = texts if texts is not None else self._meta[row[0]]
        return Finding(
            row[0],
            row[1],
            _SEVERITY[row[2]],
            row[3],
            row[4],
            row[5],
            row[6],
            Movement(*transfer) if transfer is not None else None,
            row[8],
            row[9],
            title,
            citation,
            remediation,
            row[11],
            row[12],
            row[13],
            row[14],
            self._waivers[waiver] if type(waiver) is int else waiver,
            row[16],
        )

    def _write(self, value: Any) -> tuple[int, int]:
        if not value:
            return -1, 0
        return self._append(Encoded(_blob(value), len(value)))

    def _append(self, encoded: Encoded) -> tuple[int, int]:
        blob = encoded.blob
        if not blob:
            return -1, 0
        try:
            # Appends follow each other while a run writes: a seek per record would flush
            # the buffer every time, so the end is tracked and sought only after a read.
            offset = self._end
            if not self._at_end:
                self._file.seek(offset)
                self._at_end = True
            self._file.write(blob)
            self._end += len(blob)
        except OSError as exc:
            raise CheckerError(f"cannot write the run's temporary spool: {exc.strerror}") from None
        return offset, len(blob)

    def _read(self, where: tuple[int, int]) -> Any:
        if where[0] < 0:
            return ()
        return _unblob(self._read_blob(*where))

    def _read_blob(self, offset: int, length: int) -> bytes:
        try:
            self._at_end = False
            self._file.seek(offset)
            return self._file.read(length)
        except OSError as exc:
            raise CheckerError(f"cannot read the run's temporary spool: {exc.strerror}") from None


@dataclass(frozen=True, slots=True)
class Encoded:
    """A record's findings or topologies, compressed; `count` of them (blob b"" if none)."""

    blob: bytes
    count: int


def _blob(value: Any) -> bytes:
    if not value:
        return b""
    return zlib.compress(pickle.dumps(value, pickle.HIGHEST_PROTOCOL), 1)


def _unblob(blob: bytes) -> Any:
    return _RecordUnpickler(io.BytesIO(zlib.decompress(blob))).load()


class _RecordUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        allowed = _RECORD_TYPES.get((module, name))
        if allowed is None:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of a spool record")
        return allowed


class SpooledFindings(StoredFindings):
    """Every finding of the run in report order: files by path, each file's findings sorted
    (a finding's sort key starts with its manifest's path, so no global sort is needed)."""

    def __init__(self, spool: Spool) -> None:
        self._spool = spool
        records = spool.records()
        with_findings = (i for i, record in enumerate(records) if record.count)
        order = sorted(with_findings, key=lambda i: records[i].manifest)  # stable
        self._groups = [
            (manifest, tuple(group))
            for manifest, group in groupby(order, key=lambda i: records[i].manifest)
        ]
        self._by_manifest = dict(self._groups)

    def __iter__(self) -> Iterator[Finding]:
        for _, indices in self._groups:
            yield from self._merged(indices)

    def __len__(self) -> int:
        return self._spool.count()

    def __contains__(self, item: object) -> bool:
        return any(item == finding for finding in self)

    def of_manifest(self, manifest: str) -> Iterator[Finding]:
        return iter(self._merged(self._by_manifest.get(manifest, ())))

    def blocks(self, view: str, render: FileRenderer) -> Iterator[str]:
        spool = self._spool
        for _, indices in self._groups:
            if len(indices) != 1:  # the same path read twice: rendered from the merge
                yield render(self._merged(indices))
                continue
            index = indices[0]
            text = spool.rendered_at(index, view)
            if text is None:
                text = render(spool.findings_at(index))
                spool.keep_rendered(index, view, text)
            yield text

    def manifests(self) -> Iterator[str]:
        return (manifest for manifest, _ in self._groups)

    def _merged(self, indices: Sequence[int]) -> Sequence[Finding]:
        if len(indices) == 1:
            return self._spool.findings_at(indices[0])
        # The same path read twice (named twice on the command line): one sorted sequence,
        # equal keys in the order they were evaluated, as one stable sort of the run gives.
        parts = [self._spool.findings_at(i) for i in indices]
        return sorted(chain.from_iterable(parts), key=Finding.sort_key)


class SpooledTopologies(Collection[Topology]):
    """The valid manifests' structures, in the order the run read them."""

    def __init__(self, spool: Spool) -> None:
        self._spool = spool

    def __iter__(self) -> Iterator[Topology]:
        for index in range(len(self._spool.records())):
            yield from self._spool.topologies_at(index)

    def __len__(self) -> int:
        return self._spool.topology_count()

    def __contains__(self, item: object) -> bool:
        return any(item == topology for topology in self)
