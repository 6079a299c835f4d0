"""OPA's Wasm ABI (1.2+) over wasmtime: one instance evaluates manifests one at a time, bounded.

The module imports its memory (`env.memory`), `opa_abort`, `opa_println` and the
`opa_builtinN` dispatchers; the shipped policies need no host builtins, so a module that
asks for any is refused before it runs. Policy data is parsed into the instance once; each
evaluation writes the input JSON above the data's heap mark and calls `opa_eval`, which
resets the heap there, so memory use is the largest single evaluation, not their sum.

Bounds: the store caps linear memory (`MEMORY_LIMIT`), and epoch interruption stops an
evaluation after `timeout_s` (a ticker thread advances the engine's epoch). After a trap the
instance's heap is in no known state, so the next evaluation gets a fresh instance.
"""

from __future__ import annotations

import ctypes
import json
import math
import threading
from typing import Any

import wasmtime

MEMORY_LIMIT = 1 << 30  # bytes of linear memory one evaluation may use
TICK_S = 0.02  # epoch granularity: a timeout ends within about one tick of its deadline
_PAGE = 65536


class EvaluationFailed(Exception):
    """One evaluation ended without a result: abort, trap, timeout or memory exhausted."""


def new_config() -> wasmtime.Config:
    """The engine's settings; tools/build_wasm.py compiles the shipped artifact with them."""
    config = wasmtime.Config()
    config.epoch_interruption = True  # part of the compiled code: cached modules must match
    return config


def new_engine() -> wasmtime.Engine:
    return wasmtime.Engine(new_config())


class Ticker:
    """Advances an engine's epoch every TICK_S while the engine is in use."""

    def __init__(self, engine: wasmtime.Engine) -> None:
        self._engine = engine
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tdcheck-wasm-epoch", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(TICK_S):
            self._engine.increment_epoch()

    def stop(self) -> None:
        self._stop.set()


class Instance:
    """An instantiated policy; `load_data` once, then `evaluate` (from one thread at a time)."""

    def __init__(self, engine: wasmtime.Engine, module: wasmtime.Module) -> None:
        self._store = wasmtime.Store(engine)
        self._store.set_limits(memory_size=MEMORY_LIMIT)
        self._store.set_epoch_deadline(1 << 62)  # loading the data is not a manifest's time
        self._memory = wasmtime.Memory(self._store, _memory_type(module))
        self._abort: str | None = None
        linker = wasmtime.Linker(engine)
        i32 = wasmtime.ValType.i32()
        linker.define(self._store, "env", "memory", self._memory)
        linker.define_func("env", "opa_abort", wasmtime.FuncType([i32], []), self._on_abort)
        linker.define_func("env", "opa_println", wasmtime.FuncType([i32], []), _ignore)
        for arity in range(5):
            kind = wasmtime.FuncType([i32] * (arity + 2), [i32])
            linker.define_func("env", f"opa_builtin{arity}", kind, self._on_builtin)
        try:
            instance = linker.instantiate(self._store, module)
        except (wasmtime.WasmtimeError, wasmtime.Trap) as exc:
            raise EvaluationFailed(f"the module does not instantiate: {_first_line(exc)}") from None
        self._exports = instance.exports(self._store)
        # Builtins OPA leaves to the host (sprintf, for one): the caller refuses such a module.
        self.builtins = tuple(sorted(json.loads(self._dump(self._call("builtins")))))
        entrypoints = json.loads(self._dump(self._call("entrypoints")))
        self.entrypoints: dict[str, int] = {str(k): int(v) for k, v in entrypoints.items()}
        self._data = 0
        self._heap: int = self._call("opa_heap_ptr_get")

    def load_data(self, data: bytes) -> None:
        """The policy data (JSON) every evaluation sees; evaluations reuse the heap above it."""
        self._call("opa_heap_ptr_set", self._heap)
        self._data = self._parse(data)
        self._heap = self._call("opa_heap_ptr_get")

    def evaluate(self, entrypoint: int, document: bytes, timeout_s: float) -> Any:
        """The entry point's value for this input, or EvaluationFailed; the input is JSON."""
        self._reserve(self._heap + len(document) + _PAGE)
        self._memory.write(self._store, document, self._heap)
        self._store.set_epoch_deadline(math.ceil(timeout_s / TICK_S) + 1)
        self._abort = None
        try:
            result = self._call(
                "opa_eval", 0, entrypoint, self._data, self._heap, len(document),
                self._heap + len(document), 0,
            )  # fmt: skip
        except wasmtime.Trap as trap:
            raise EvaluationFailed(self._why(trap, timeout_s)) from None
        except wasmtime.WasmtimeError as exc:
            raise EvaluationFailed(self._abort or f"Wasm error: {_first_line(exc)}") from None
        try:
            results = json.loads(self._string(result))
        except (ValueError, UnicodeDecodeError) as exc:  # never a result to trust
            raise EvaluationFailed(f"the Wasm module answered no JSON: {exc}") from None
        if not results:
            return _UNDEFINED
        return results[0].get("result", _UNDEFINED)

    def _why(self, trap: wasmtime.Trap, timeout_s: float) -> str:
        if self._abort is not None:
            return self._abort
        if trap.trap_code == wasmtime.TrapCode.INTERRUPT:
            return f"evaluation exceeded the {timeout_s:g} s timeout (--timeout)"
        if trap.trap_code == wasmtime.TrapCode.STACK_OVERFLOW:
            return "evaluation exhausted the stack (unbounded recursion?)"
        return f"Wasm trap: {_first_line(trap)}"

    def _on_abort(self, address: int) -> None:
        message = self._string(address)
        if "malloc" in message or "out of memory" in message:
            message = f"evaluation exceeded the {MEMORY_LIMIT >> 20} MiB memory limit"
        self._abort = f"policy evaluation failed: {message}"
        raise EvaluationFailed(self._abort)

    def _on_builtin(self, *_args: int) -> int:
        self._abort = "policy called a builtin the Wasm engine does not provide"
        raise EvaluationFailed(self._abort)

    def _call(self, name: str, *args: int) -> Any:
        function = self._exports[name]
        assert isinstance(function, wasmtime.Func)
        return function(self._store, *args)

    def _parse(self, text: bytes) -> int:
        address = self._call("opa_malloc", len(text))
        self._memory.write(self._store, text, address)
        value: int = self._call("opa_json_parse", address, len(text))
        if not value:
            raise EvaluationFailed("policy data is not valid JSON for the Wasm engine")
        return value

    def _dump(self, value: int) -> str:
        return self._string(self._call("opa_json_dump", value))

    def _reserve(self, end: int) -> None:
        missing = -(-end // _PAGE) - self._memory.size(self._store)
        if missing > 0 and not self._grow(missing):
            raise EvaluationFailed(
                f"the input does not fit the {MEMORY_LIMIT >> 20} MiB memory limit"
            )

    def _grow(self, pages: int) -> bool:
        try:
            self._memory.grow(self._store, pages)
        except wasmtime.WasmtimeError:
            return False
        return True

    def _string(self, address: int) -> str:
        """A NUL-terminated string in linear memory (the ABI's result and message form)."""
        size = self._memory.data_len(self._store)
        if not 0 < address < size:
            raise EvaluationFailed(f"the module returned an address outside its memory: {address}")
        base = ctypes.addressof(self._memory.data_ptr(self._store).contents)
        # string_at stops at the first NUL, which the ABI puts at the end of every string.
        return ctypes.string_at(base + address).decode("utf-8", "replace")


_UNDEFINED: Any = object()
UNDEFINED = _UNDEFINED


def _memory_type(module: wasmtime.Module) -> wasmtime.MemoryType:
    """The memory the module imports asks for a minimum size; the store's limit caps growth."""
    for item in module.imports:
        if (
            item.module == "env"
            and item.name == "memory"
            and isinstance(item.type, wasmtime.MemoryType)
        ):
            return wasmtime.MemoryType(wasmtime.Limits(item.type.limits.min, None))
    raise EvaluationFailed("the module imports no env.memory: not an OPA Wasm build")


def _ignore(_address: int) -> None:
    """print() output: the other engines do not show it either."""


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or ["unknown"])[0][:200]
