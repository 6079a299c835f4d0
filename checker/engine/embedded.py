"""The embedded engine: regopy (rego-cpp) in-process, hardened against its known defects.

- input goes through `set_input_term(json)`; `set_input(dict)` does not escape strings;
- the policy is compiled once into a bundle; `query()` would recompile every call; the
  bundle is kept across runs in the policy cache (policy_cache.py) and loaded from there;
- results are read from the raw output JSON: `Output` aborts the process on undefined and
  raises on error s-expressions;
- strict builtin errors, so a failing builtin is an error rather than a silent undefined;
- fd 1 is redirected around native calls, which print parse errors and `print()` there;
- one interpreter per engine object, used from one thread (sharing one segfaults).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from checker.engine.interface import EngineOptions, Evaluation, decode_findings
from checker.engine.policy_cache import BundleCache, cache_dir, cache_key
from checker.errors import EngineError, PolicyError
from checker.policy import ENTRYPOINT, PolicySet

_ERROR_AT = re.compile(r"\(error \d+:([^|\s]+)\|(\d+)\|")
_ERROR_MSG = re.compile(r"\(errormsg \d+:([^\n)]*)")


@contextlib.contextmanager
def _stdout_silenced(discard: bool = False) -> Iterator[None]:
    """Native code writes to fd 1, where our report goes: send it to stderr meanwhile (or,
    `discard`, nowhere: a rejected cache file is no news to the user)."""
    try:
        sys.stdout.flush()
        saved = os.dup(1)
        target = os.open(os.devnull, os.O_WRONLY) if discard else 2
    except (OSError, ValueError):
        yield
        return
    try:
        os.dup2(target, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        if discard:
            os.close(target)


_LOGS_QUIETED = False


def _quiet_logs_once(regopy: Any) -> None:
    """regopy aborts the process if the default log level is set twice."""
    global _LOGS_QUIETED
    if not _LOGS_QUIETED:
        regopy.set_default_log_level("None")
        _LOGS_QUIETED = True


class EmbeddedEngine:
    name = "embedded"

    def __init__(self, policy: PolicySet, options: EngineOptions) -> None:
        try:
            import regopy
            from regopy import rego_shared
        except ImportError as exc:  # pragma: no cover - regopy is a hard dependency
            raise EngineError(f"embedded engine unavailable: {exc}") from None
        self._regopy = regopy
        self._raw = rego_shared
        _quiet_logs_once(regopy)
        self._interpreter = regopy.Interpreter()
        self._interpreter.strict_built_in_errors = True
        self._sources = dict(policy.modules)
        directory = cache_dir() if options.policy_cache else None
        cache = BundleCache(directory) if directory is not None else None
        build = f"{self.version()} {regopy.build_info()}"
        key = cache_key(policy.digest, build, [ENTRYPOINT])
        bundle = self._load(cache, key) if cache is not None else None
        self._bundle: Any = bundle if bundle is not None else self._compile(policy)
        if cache is not None and bundle is None:
            cache.store(key, self._save)

    def _compile(self, policy: PolicySet) -> Any:
        regopy = self._regopy
        with _stdout_silenced():
            for name, source in policy.modules:
                try:
                    self._interpreter.add_module(name, source)
                except regopy.RegoError as exc:
                    raise PolicyError(
                        f"policy failed to compile: {_describe(exc, self._sources)}"
                    ) from None
            self._interpreter.add_data_json(json.dumps(policy.data))
            try:
                return self._interpreter.build(None, [ENTRYPOINT])
            except regopy.RegoError as exc:
                message = _describe(exc, self._sources)
                raise PolicyError(f"policy failed to compile: {message}") from None

    def _load(self, cache: BundleCache, key: str) -> Any:
        """The cached bundle, or None. rego-cpp checks the file's header and CRC; querying a
        bundle that failed them segfaults, so a rejected file is never used (and deleted)."""
        path = cache.lookup(key)
        if path is None:
            return None
        raw = self._raw
        with _stdout_silenced(discard=True):
            try:
                impl = raw.rego_bundle_load_binary(self._interpreter._impl, str(path))
            except self._regopy.RegoError:
                impl = None
        if impl and raw.rego_bundle_ok(impl):
            return self._regopy.Bundle(impl)
        if impl:
            raw.rego_free_bundle(impl)
        cache.discard(key)
        return None

    def _save(self, path: Path) -> None:
        with _stdout_silenced():
            self._raw.rego_bundle_save_binary(
                self._interpreter._impl, str(path), self._bundle._impl
            )

    def version(self) -> str:
        return f"regopy {self._regopy.__version__}"

    def evaluate(self, documents: Sequence[Mapping[str, Any]]) -> list[Evaluation]:
        return [self._evaluate_one(document) for document in documents]

    def _evaluate_one(self, document: Mapping[str, Any]) -> Evaluation:
        raw = self._raw
        interp = self._interpreter._impl
        with _stdout_silenced():
            raw.rego_set_input_term(interp, json.dumps(document))
            output = raw.rego_bundle_query_entrypoint(interp, self._bundle._impl, ENTRYPOINT)
            try:
                ok = raw.rego_output_ok(output)
                text = raw.rego_output_string(output) if ok else ""
                error = "" if ok else raw.rego_get_error(interp) or _output_error(raw, output)
            finally:
                raw.rego_free_output(output)
        if not ok:
            return Evaluation(
                error=f"policy evaluation failed: {_first_error(error, self._sources)}"
            )
        if text == "undefined":
            return Evaluation(error="policy decision undefined: data.tdcheck.main.findings")
        try:
            result = json.loads(text)
            return Evaluation(findings=decode_findings(result["expressions"][0]))
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            # Error s-expressions ("Function not found") arrive as ok output that is not JSON.
            return Evaluation(
                error=f"policy evaluation failed: {_first_error(text, self._sources)}"
                if "(error" in text
                else f"engine returned nonsense: {exc}"
            )

    def close(self) -> None:
        self._bundle = None
        self._interpreter = None


def _output_error(raw: Any, output: Any) -> str:
    """`eval_conflict_error: complete rules must not ...`: the string form is only `<error>`."""
    try:
        found: dict[int, str] = {}
        todo = [raw.rego_output_node(output)]
        while todo and len(found) < 2:  # the first ErrorMessage (1801) and ErrorCode (1803)
            node = todo.pop()
            kind = raw.rego_node_type(node)
            if kind in (1801, 1803) and kind not in found:
                found[kind] = str(raw.rego_node_value(node))
            todo.extend(
                raw.rego_node_get(node, k) for k in reversed(range(raw.rego_node_size(node)))
            )
        if 1801 in found:
            code = found.get(1803, "")
            return f"{code}: {found[1801]}" if code else found[1801]
        return str(raw.rego_output_string(output))
    except Exception:  # noqa: BLE001 - the error text is best effort; the failure is reported
        return "unknown error"


def _describe(exc: BaseException, sources: Mapping[str, str]) -> str:
    return _first_error(str(exc), sources)


def _first_error(text: str, sources: Mapping[str, str]) -> str:
    """rego-cpp reports s-expressions with byte offsets; turn the first into file:line:col."""
    message = _ERROR_MSG.search(text)
    where = _ERROR_AT.search(text)
    summary = message.group(1).strip() if message else text.strip().splitlines()[0][:200]
    if where and where.group(1) in sources:
        offset = int(where.group(2))
        before = sources[where.group(1)][:offset]
        line = before.count("\n") + 1
        column = offset - (before.rfind("\n") + 1) + 1
        return f"{where.group(1)}:{line}:{column}: {summary}"
    return summary


def create(policy: PolicySet, options: EngineOptions) -> EmbeddedEngine:
    return EmbeddedEngine(policy, options)
