"""One input file's cached result, and its encoding on disk.

An entry holds what the run keeps of a file once it is evaluated: the summary, the input
problems, the names its manifests use, the counts behind the summary line, and the
findings (before waivers and the --framework filter, in report order) and the structures
the audit report draws, both encoded as the run's spool records them (checker/spool.py):
where no waiver or filter concerns the file, a hit is appended to the spool as it is, with
the text renderers made of it in earlier runs (MAX_VIEWS of them, the latest). Only a file
whose every valid manifest was evaluated is stored, so a cached result is never a
manifest left unevaluated turned into a pass.

On disk: a marker line, the sha256 of the rest, then a pickle of builtins only. The
checksum is verified before anything is unpickled, the entry's unpickler rebuilds no class
at all, and the spool's (reading the findings blob) only its record types: a truncated,
corrupted or foreign file is a miss, never a result.
"""

from __future__ import annotations

import hashlib
import io
import pickle
from dataclasses import dataclass
from typing import Any

from checker.cache.key import CacheKey
from checker.spool import Encoded

MARKER = b"tdcheck-result-cache-1\n"
_CHECKSUM = 32
MAX_VIEWS = 3  # renderings kept per entry: a format or option switched back and forth
# (name, document index, line, column) of each valid manifest's metadata.name
Name = tuple[str, int, int, int]
# (kind, source, line, column, message)
ProblemRow = tuple[str, str, int, int, str]


@dataclass(frozen=True, slots=True)
class Entry:
    key: CacheKey  # the whole key, engine and evidence included: a hit must equal it
    documents: int  # every document the file holds, manifest or not
    manifests: int
    valid: int
    names: tuple[Name, ...]
    deployments: tuple[str, ...]
    errors: tuple[str, ...]
    notices: tuple[str, ...]
    problems: tuple[ProblemRow, ...]
    findings: Encoded
    topologies: Encoded
    statuses: tuple[tuple[str, int], ...]  # findings by status
    failed: tuple[tuple[str, int], ...]  # failing findings by severity
    frameworks: tuple[str, ...]
    # Renderers' text of these findings, (view, zlib-compressed text), newest first: a run
    # rendering the same view writes them out as they are (StoredFindings.blocks).
    views: tuple[tuple[str, bytes], ...] = ()


def encode(entry: Entry) -> bytes:
    # Plain tuples, not the records: they unpickle several times faster, and the unpickler
    # then needs no class at all.
    fields = tuple(getattr(entry, name) for name in Entry.__slots__)
    key, findings, topologies = entry.key, entry.findings, entry.topologies
    plain = (
        tuple(getattr(key, name) for name in CacheKey.__slots__),
        (findings.blob, findings.count),
        (topologies.blob, topologies.count),
    )
    # Not compressed again: the findings, structures and texts are compressed blobs already.
    payload = pickle.dumps((*plain, fields[1:9], fields[11:]), pickle.HIGHEST_PROTOCOL)
    return MARKER + hashlib.sha256(payload).digest() + payload


def decode(blob: bytes) -> Entry | None:
    """The entry, or None for anything that is not one whole, intact entry."""
    if not blob.startswith(MARKER):
        return None
    checksum = blob[len(MARKER) : len(MARKER) + _CHECKSUM]
    payload = blob[len(MARKER) + _CHECKSUM :]
    if hashlib.sha256(payload).digest() != checksum:
        return None
    try:
        key, findings, topologies, middle, tail = _Unpickler(io.BytesIO(payload)).load()
        parts = (CacheKey(*key), *middle, Encoded(*findings), Encoded(*topologies), *tail)
        return Entry(*parts)
    except Exception:  # noqa: BLE001 - an entry that does not decode is a miss
        return None


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a cache entry")
