"""What a cached result depends on: the key is everything that can change a file's findings.

A file's findings follow from its bytes (and the path they are reported under), the
policies and their data, the date rules are judged at, the checker's own code and the
engine that evaluated them, and the evidence files its manifests bind. Waivers and the
--framework filter are applied to the cached findings afterwards, so changing them needs
no re-evaluation and they are not part of the key.

The key has two parts. `address()` is known before the file is parsed and names the
entry on disk; `engine` and `evidence` are recorded inside the entry and compared when
it is used: the engine is only chosen once the run knows how many manifests it checks,
and the evidence files are only known once the manifest has been read.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from checker import __version__

FORMAT = "tdcheck-result-cache-1"
Evidence = tuple[tuple[str, str], ...]  # (path, sha256) of every evidence file read


@dataclass(frozen=True, slots=True)
class CacheKey:
    source: str  # the path findings and errors are reported under
    content: str  # sha256 of the file's bytes
    explicit: bool  # named on the command line: a file without a manifest is an error
    skip_non_manifests: bool
    policy_digest: str  # every module and the merged data (PolicySet.digest)
    data_digest: str  # the merged policy data alone
    as_of: str
    tool: str  # tdcheck's version and a digest of its code and schemas
    engine: str = ""  # name and version of the engine, "" where nothing was evaluated
    evidence: Evidence = ()

    def same_file(self, other: CacheKey) -> bool:
        """Equal in every part `address` covers (the parts an entry's lookup already fixed)."""
        return (
            self.source == other.source
            and self.content == other.content
            and self.explicit == other.explicit
            and self.skip_non_manifests == other.skip_non_manifests
            and self.policy_digest == other.policy_digest
            and self.data_digest == other.data_digest
            and self.as_of == other.as_of
            and self.tool == other.tool
        )

    def address(self) -> str:
        """The entry's file name: every part of the key known before the file is parsed."""
        parts = (
            FORMAT,
            self.source,
            self.content,
            str(self.explicit),
            str(self.skip_non_manifests),
            self.policy_digest,
            self.data_digest,
            self.as_of,
            self.tool,
        )
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def data_digest(data: Mapping[str, Any]) -> str:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


@cache
def tool_identity() -> str:
    """The version and the code: a checkout edited without a version bump is a new key."""
    package = Path(__file__).resolve().parents[1]
    hasher = hashlib.sha256()
    # The schemas where validation finds them: in the package (a wheel), else beside it.
    schemas = next(
        (d for d in (package / "schemas", package.parent / "schemas") if d.is_dir()), None
    )
    roots = [(package, "*.py")] + ([(schemas, "*.json")] if schemas is not None else [])
    for root, pattern in roots:
        for path in sorted(root.rglob(pattern)):
            hasher.update(path.relative_to(root).as_posix().encode() + b"\0")
            hasher.update(path.read_bytes() + b"\0")
    # Evidence facts come from tfparse's evaluation of the Terraform: its upgrade is new code.
    return f"{__version__} {hasher.hexdigest()[:16]} tfparse {_version_of('tfparse')}"


def _version_of(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


def evidence_digests(paths: Iterable[Path], memo: dict[Path, str] | None = None) -> Evidence:
    """The hook for evidence: each file or directory the evaluation read besides the manifest
    (a plan JSON, a Terraform root module), with a digest of what it holds ("" for one that
    cannot be read). `memo`: digests already taken in this run (many manifests bind one
    module)."""
    memo = {} if memo is None else memo
    digests = []
    for path in sorted(set(paths)):
        if path not in memo:
            memo[path] = _digest(path)
        digests.append((path.as_posix(), memo[path]))
    return tuple(digests)


# What a Terraform root module's digest covers: its code, variables and plans, in every
# subdirectory (local modules) but hidden ones (.terraform holds downloaded providers).
_EVIDENCE_SUFFIXES = (".tf", ".tf.json", ".tfvars", ".tfvars.json", ".json", ".hcl")


def _digest(path: Path) -> str:
    hasher = hashlib.sha256()
    try:
        if not path.is_dir():
            hasher.update(path.read_bytes())
            return hasher.hexdigest()
        for file in sorted(_evidence_files(path)):
            hasher.update(file.relative_to(path).as_posix().encode() + b"\0")
            hasher.update(hashlib.sha256(file.read_bytes()).digest())
    except OSError:
        return ""
    return hasher.hexdigest()


def _evidence_files(directory: Path) -> Iterable[Path]:
    for root, dirs, files in os.walk(directory):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if name.endswith(_EVIDENCE_SUFFIXES):
                yield Path(root) / name
