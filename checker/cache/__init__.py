"""The result cache: each input file's findings kept across runs (checker/cache/key.py)."""

from checker.cache.entry import Entry
from checker.cache.key import CacheKey, data_digest, evidence_digests, tool_identity
from checker.cache.store import ResultStore, result_dir

__all__ = [
    "CacheKey",
    "Entry",
    "ResultStore",
    "data_digest",
    "evidence_digests",
    "result_dir",
    "tool_identity",
]
