"""The Wasm engine: the default in-process engine, bounded, with a stated fallback and a cache.

Agreement with regopy and OPA is proven in test_engine_agreement.py, test_properties.py,
test_engine_portability.py and test_advise_agreement.py; this file covers what is the
Wasm engine's own: the shipped module, time and memory bounds, `--policy` compilation,
the fallback notice, the shipped precompiled module and the compiled-module cache.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import wasmtime

from checker.engine import EngineOptions, create_engine, resolve_engine_name, wasm_abi, wasm_module
from checker.policy import load_policy_set
from tests.conftest import ROOT, run_cli
from tests.test_cli import CLEAN

AS_OF = "2026-11-28"
EXAMPLE = ROOT / "fixtures" / "examples" / "healthcare-phi-on-premises.yaml"

RULE = """# METADATA
# title: Org rule
# custom:
#   id: ORG-WASM-001
#   framework: hipaa
#   severity: error
#   subject: stage
#   citation: internal policy 7
#   remediation: do the thing
package tdcheck.rules.org_wasm

import rego.v1

findings := [f |
	{BODY}
	stage := input.spec.stages[0]
	f := {"rule_id": "ORG-WASM-001", "status": "fail", "subject": "stage", "stage": stage.id,
		"location": stage.location, "transfer": null, "message": [{MESSAGE}], "path": ["spec"]}
]
"""
# Ten billion iterations over two small arrays: no memory to speak of, no end in sight.
HANG = 'input.metadata.name == "hang"; n := count({x | some i in numbers.range(1, 100000); '
HANG += "some j in numbers.range(1, 100000); x := i + j}); n > 0"
HOG = "n := count(numbers.range(1, 200000000)); n > 0"  # about 3 GB of numbers
ON_X86_64_LINUX = sys.platform == "linux" and os.uname().machine == "x86_64"
x86_64_linux = pytest.mark.skipif(
    not ON_X86_64_LINUX, reason="the shipped precompiled module is for x86-64 Linux only"
)


def rule_dir(tmp_path: Path, body: str = "true", message: str = '"org rule"') -> Path:
    directory = tmp_path / "org"
    directory.mkdir(exist_ok=True)
    text = RULE.replace("{BODY}", body).replace("{MESSAGE}", message)
    (directory / "org.rego").write_text(text, encoding="utf-8")
    return directory


@pytest.fixture(autouse=True)
def _fresh_preparation() -> Iterator[None]:
    """Each test prepares its module anew (a run prepares it once per process)."""
    wasm_module._MEMO.clear()
    yield
    wasm_module._MEMO.clear()


@pytest.fixture
def no_opa(monkeypatch: pytest.MonkeyPatch) -> None:
    real = shutil.which
    monkeypatch.setattr(
        shutil, "which", lambda name, *a, **k: None if name == "opa" else real(name)
    )


def bounded(work: Any) -> Any:
    """A guard (not a measurement): a bound that does not fire fails the test, never hangs it."""
    box: list[Any] = []
    runner = threading.Thread(target=lambda: box.append(work()), daemon=True)
    runner.start()
    runner.join(timeout=120)
    assert box, "the evaluation was not stopped"
    return box[0]


def test_the_shipped_module_is_the_build_of_the_current_policies(opa_binary: str) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_wasm.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_a_changed_policy_makes_the_shipped_module_stale(tmp_path: Path, opa_binary: str) -> None:
    """What CI runs (tools/build_wasm.py --check) fails once a rule changes after the build."""
    _copy_checkout(tmp_path)
    rule = next((tmp_path / "policies" / "rules" / "hipaa").glob("baa_*.rego"))
    rule.write_text(rule.read_text(encoding="utf-8") + "\nunused := 1\n", encoding="utf-8")
    done = _build_wasm_check(tmp_path, opa_binary)
    assert done.returncode == 1
    assert "policy.wasm is stale" in done.stderr


def test_a_stale_precompiled_module_fails_the_check(tmp_path: Path, opa_binary: str) -> None:
    _copy_checkout(tmp_path)
    artifact = tmp_path / "checker" / "engine" / wasm_module.PRECOMPILED.name
    compiled = artifact.read_bytes()
    middle = len(compiled) // 2
    artifact.write_bytes(
        compiled[:middle] + bytes([compiled[middle] ^ 0x01]) + compiled[middle + 1 :]
    )
    done = _build_wasm_check(tmp_path, opa_binary)
    assert done.returncode == 1
    (line,) = done.stderr.splitlines()
    assert "policy.x86_64-linux.cwasm is stale" in line


@pytest.mark.parametrize("where", ["sidecar", "pin"])
def test_the_check_fails_when_the_wasmtime_versions_disagree(
    tmp_path: Path, opa_binary: str, where: str
) -> None:
    """Another wasmtime compiles other bytes: the check says which versions disagree instead
    of calling the artifact stale (CI installs the dev extra's pin)."""
    _copy_checkout(tmp_path)
    installed = wasm_module.wasmtime_version()
    if where == "sidecar":
        sidecar = tmp_path / "checker" / "engine" / wasm_module.SIDECAR.name
        sidecar.write_text(sidecar.read_text().replace(f'"{installed}"', '"49.0.0"'))
    else:
        pyproject = tmp_path / "pyproject.toml"
        pyproject.write_text(
            pyproject.read_text().replace(f"wasmtime=={installed}", "wasmtime==49.0.0")
        )
    done = _build_wasm_check(tmp_path, opa_binary)
    assert done.returncode == 1
    (line,) = done.stderr.splitlines()
    assert "49.0.0" in line and "they must agree" in line


def _copy_checkout(tmp_path: Path) -> None:
    for part in ("checker", "policies", "schemas", "tools"):
        ignore = shutil.ignore_patterns("__pycache__", "*_test.rego")
        shutil.copytree(ROOT / part, tmp_path / part, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")


def _build_wasm_check(tmp_path: Path, opa_binary: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(tmp_path / "tools" / "build_wasm.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env={"PATH": str(Path(opa_binary).parent), "PYTHONPATH": str(tmp_path)},
    )


def test_auto_evaluates_the_shipped_policies_on_wasm() -> None:
    result = run_cli("check", str(EXAMPLE), "--as-of", AS_OF, "-f", "json")
    engine = json.loads(result.out)["engine"]
    assert engine["name"] == "wasm"
    assert engine["version"].startswith("Wasm (OPA 1.22.3 build, wasmtime ")
    assert "notice" not in result.err


def test_policy_rules_are_compiled_by_opa_and_decide_findings(
    tmp_path: Path, opa_binary: str
) -> None:
    org = rule_dir(tmp_path)
    result = run_cli("check", str(EXAMPLE), "--policy", str(org), "--as-of", AS_OF, "-f", "json")
    report = json.loads(result.out)
    assert report["engine"]["name"] == "wasm"
    assert "built by the local OPA 1." in report["engine"]["version"]
    assert [f["status"] for f in report["findings"] if f["rule_id"] == "ORG-WASM-001"] == ["fail"]
    assert result.code == 1


def test_a_hanging_policy_ends_at_the_timeout_with_one_line_and_exit_3(
    tmp_path: Path, opa_binary: str
) -> None:
    org = rule_dir(tmp_path, HANG.replace('input.metadata.name == "hang"; ', ""))
    started = time.monotonic()
    result = bounded(lambda: run_cli("check", str(EXAMPLE), "--policy", str(org), "--timeout", "1"))
    assert time.monotonic() - started < 60
    assert result.code == 3
    (error,) = [line for line in result.out.splitlines() if "not evaluated" in line]
    assert "evaluation exceeded the 1 s timeout (--timeout)" in error
    assert "Traceback" not in result.err + result.out
    assert "1 NOT EVALUATED [engine wasm]" in result.out


def test_a_memory_hungry_policy_ends_at_the_memory_limit_with_exit_3(
    tmp_path: Path, opa_binary: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(wasm_abi, "MEMORY_LIMIT", 64 << 20)
    org = rule_dir(tmp_path, HOG)
    result = bounded(lambda: run_cli("check", str(EXAMPLE), "--policy", str(org)))
    assert result.code == 3
    (error,) = [line for line in result.out.splitlines() if "not evaluated" in line]
    assert "evaluation exceeded the 64 MiB memory limit" in error
    assert "Traceback" not in result.err + result.out


def test_after_a_stopped_evaluation_the_next_manifest_is_evaluated(
    tmp_path: Path, opa_binary: str
) -> None:
    policy = load_policy_set([rule_dir(tmp_path, HANG)])
    engine = create_engine("wasm", policy, EngineOptions(timeout_s=0.5, documents=3))
    try:
        docs = [json.loads(json.dumps(_example())) for _ in range(3)]
        docs[1]["metadata"]["name"] = "hang"
        results = bounded(lambda: engine.evaluate([_engine_input_of(d) for d in docs]))
    finally:
        engine.close()
    assert [r.error is None for r in results] == [True, False, True]
    assert results[0].findings == results[2].findings
    assert "exceeded the 0.5 s timeout" in str(results[1].error)


def test_a_batch_spread_over_threads_keeps_order_and_contains_failures(
    tmp_path: Path, opa_binary: str
) -> None:
    """A big batch runs one instance per thread; results come back in input order, and a
    runaway evaluation costs only its own manifest, whichever thread it was on."""
    policy = load_policy_set([rule_dir(tmp_path, HANG)])
    docs = [json.loads(json.dumps(_example())) for _ in range(8)]
    for n, doc in enumerate(docs):
        doc["spec"]["stages"][0]["id"] = f"stage-{n}"
    docs[1]["metadata"]["name"] = docs[6]["metadata"]["name"] = "hang"
    inputs = [_engine_input_of(d) for d in docs]
    batch = create_engine("wasm", policy, EngineOptions(timeout_s=0.5, documents=1000))
    single = create_engine("wasm", policy, EngineOptions(timeout_s=0.5, documents=1))
    try:
        assert batch._pool is not None  # type: ignore[attr-defined]
        together = bounded(lambda: batch.evaluate(inputs))
        apart = bounded(lambda: [single.evaluate([one])[0] for one in inputs])
    finally:
        batch.close()
        single.close()
    assert [r.error is None for r in together] == [n not in (1, 6) for n in range(8)]
    assert together == apart
    ids = {f"stage-{m}" for m in range(8)}
    renamed = [{f["stage"] for f in r.findings} & ids for r in together]
    assert renamed == [set() if n in (1, 6) else {f"stage-{n}"} for n in range(8)]


def test_without_opa_policy_rules_fall_back_to_regopy_with_a_notice(
    tmp_path: Path, no_opa: None, capsys: pytest.CaptureFixture[str]
) -> None:
    org = rule_dir(tmp_path)
    result = run_cli("check", str(EXAMPLE), "--policy", str(org), "--as-of", AS_OF, "-f", "json")
    assert json.loads(result.out)["engine"]["name"] == "embedded"
    assert (
        "tdcheck: notice: --policy rules are compiled to Wasm by `opa`, which is not on PATH; "
        "evaluating with the embedded engine instead of Wasm"
    ) in capsys.readouterr().err  # written to the process's stderr, whatever the report's
    explicit = run_cli("check", str(EXAMPLE), "--policy", str(org), "--engine", "wasm")
    assert explicit.code == 3
    assert "--engine wasm cannot run these policies: --policy rules" in explicit.out


def test_the_shipped_policies_need_no_opa(no_opa: None) -> None:
    policy = load_policy_set()
    assert resolve_engine_name("auto", EngineOptions(documents=1000), policy) == "wasm"
    assert resolve_engine_name("auto", EngineOptions(documents=1), policy) == "wasm"
    # A configured server still decides: it may hold an organisation's own bundle.
    served = EngineOptions(opa_urls=("http://opa:8181",), documents=1)
    assert resolve_engine_name("auto", served, policy) == "opa"
    assert resolve_engine_name("embedded", EngineOptions(documents=1), policy) == "embedded"


def test_a_policy_needing_host_builtins_falls_back_with_a_notice(
    tmp_path: Path, opa_binary: str, capsys: pytest.CaptureFixture[str]
) -> None:
    org = rule_dir(tmp_path, "n := count(input.spec.stages)", 'sprintf("%d stages", [n])')
    result = run_cli("check", str(EXAMPLE), "--policy", str(org), "--as-of", AS_OF, "-f", "json")
    report = json.loads(result.out)
    assert report["engine"]["name"] == "embedded"
    assert "OPA's Wasm build leaves to the host (sprintf)" in capsys.readouterr().err
    messages = [f["message"] for f in report["findings"] if f["rule_id"] == "ORG-WASM-001"]
    assert messages and all(m.endswith(" stages") for m in messages)


def test_policy_data_reaches_the_module_at_run_time(tmp_path: Path) -> None:
    """--data is not compiled in: the same module gives the findings the data decides."""
    data = tmp_path / "org.json"
    data.write_text(json.dumps({"tdcheck": {"org": {"phi_allowed_countries": ["DE"]}}}))
    reports = {
        engine: json.loads(
            run_cli(
                "check",
                str(EXAMPLE),
                "--data",
                str(data),
                "--engine",
                engine,
                "--as-of",
                AS_OF,
                "-f",
                "json",
            ).out
        )  # fmt: skip
        for engine in ("wasm", "embedded")
    }
    default = json.loads(run_cli("check", str(EXAMPLE), "--as-of", AS_OF, "-f", "json").out)
    assert reports["wasm"]["findings"] == reports["embedded"]["findings"]
    assert reports["wasm"]["findings"] != default["findings"]


@pytest.mark.parametrize("damage", ["garbage", "truncated", "bit flip"])
def test_the_compiled_module_is_cached_and_a_corrupt_entry_is_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    """A damaged file is never handed to wasmtime (which would run it as machine code)."""
    # As on a machine the shipped precompiled module is not for: the cache holds the compiled one.
    monkeypatch.setattr(wasm_module, "PRECOMPILED", tmp_path / "absent.cwasm")
    cache = tmp_path / "cache"
    monkeypatch.setenv("TDCHECK_CACHE_DIR", str(cache))
    policy = load_policy_set()

    def findings() -> Any:
        wasm_module._MEMO.clear()
        engine = create_engine("wasm", policy, EngineOptions())
        try:
            (result,) = engine.evaluate([_engine_input_of(_example())])
        finally:
            engine.close()
        return result.findings

    first = findings()
    (entry,) = cache.glob("*.cwasm")
    compiled = entry.read_bytes()
    assert findings() == first  # loaded from the cache
    middle = len(compiled) // 2
    flipped = compiled[:middle] + bytes([compiled[middle] ^ 0x40]) + compiled[middle + 1 :]
    entry.write_bytes(
        {
            "garbage": b"not a module" + compiled[100:],
            "truncated": compiled[:middle],
            "bit flip": flipped,
        }[damage]
    )
    assert findings() == first  # rejected, compiled again and stored again
    (entry,) = cache.glob("*.cwasm")
    assert entry.read_bytes() == compiled


class Calls:
    """Counts what reaches wasmtime: compiling a module, and deserialising one (its bytes)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, deserialize: Any = None) -> None:
        self.compiled = 0
        self.deserialized: list[bytes] = []
        compile_module = wasmtime.Module.__init__
        real_deserialize = wasmtime.Module.deserialize

        def init(module: wasmtime.Module, engine: wasmtime.Engine, wasm: bytes) -> None:
            self.compiled += 1
            compile_module(module, engine, wasm)

        def spy(engine: wasmtime.Engine, encoded: bytes) -> wasmtime.Module:
            self.deserialized.append(bytes(encoded))
            return (deserialize or real_deserialize)(engine, encoded)

        monkeypatch.setattr(wasmtime.Module, "__init__", init)
        monkeypatch.setattr(wasmtime.Module, "deserialize", staticmethod(spy))


def _evaluates(use_cache: bool) -> None:
    """A run's engine evaluates the example: whatever loaded the module, it works."""
    wasm_module._MEMO.clear()
    engine = create_engine("wasm", load_policy_set(), EngineOptions(policy_cache=use_cache))
    try:
        (result,) = engine.evaluate([_engine_input_of(_example())])
    finally:
        engine.close()
    assert result.error is None and result.findings


@x86_64_linux
def test_the_shipped_module_is_deserialised_not_compiled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first run after install (or any --no-cache run) loads the precompiled module;
    with the cache on it is not copied there."""
    recorded = json.loads(wasm_module.SIDECAR.read_text())["precompiled"]["wasmtime"]
    installed = wasm_module.wasmtime_version()
    assert installed == recorded, f"wasmtime {installed}: the dev extra pins {recorded}"

    def refuse(*_args: Any) -> None:
        raise AssertionError("the shipped module was compiled")

    monkeypatch.setattr(wasmtime.Module, "__init__", refuse)
    cache = tmp_path / "cache"
    monkeypatch.setenv("TDCHECK_CACHE_DIR", str(cache))
    for use_cache in (False, True):
        _evaluates(use_cache)
    assert list(cache.glob("*.cwasm")) == []


@x86_64_linux
@pytest.mark.parametrize("damage", ["bit flip", "truncated", "another wasmtime"])
def test_a_precompiled_module_that_does_not_fit_is_compiled_instead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    """Only bytes with the sidecar's sha256, from the wasmtime it names, reach wasmtime."""
    artifact, sidecar = tmp_path / "policy.cwasm", tmp_path / "policy.wasm.json"
    compiled = wasm_module.PRECOMPILED.read_bytes()
    recorded = json.loads(wasm_module.SIDECAR.read_text())
    middle = len(compiled) // 2
    if damage == "bit flip":
        compiled = compiled[:middle] + bytes([compiled[middle] ^ 0x01]) + compiled[middle + 1 :]
    elif damage == "truncated":
        compiled = compiled[:middle]
    else:
        recorded["precompiled"]["wasmtime"] = "49.0.0"
    artifact.write_bytes(compiled)
    sidecar.write_text(json.dumps(recorded))
    monkeypatch.setattr(wasm_module, "PRECOMPILED", artifact)
    monkeypatch.setattr(wasm_module, "SIDECAR", sidecar)
    calls = Calls(monkeypatch)
    _evaluates(use_cache=False)
    assert (calls.compiled, calls.deserialized) == (1, [])


@x86_64_linux
def test_a_precompiled_module_wasmtime_rejects_is_compiled_instead(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def reject(engine: wasmtime.Engine, encoded: bytes) -> wasmtime.Module:
        raise wasmtime.WasmtimeError("Module was compiled for a different architecture")

    calls = Calls(monkeypatch, deserialize=reject)
    _evaluates(use_cache=False)
    assert calls.deserialized == [wasm_module.PRECOMPILED.read_bytes()]
    assert calls.compiled == 1


def test_a_cache_others_can_write_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o777)
    cache.chmod(0o777)
    monkeypatch.setenv("TDCHECK_CACHE_DIR", str(cache))
    engine = create_engine("wasm", load_policy_set(), EngineOptions())
    engine.close()
    assert list(cache.iterdir()) == []


def test_clean_manifest_passes_on_wasm(tmp_path: Path) -> None:
    path = tmp_path / "clean.yaml"
    path.write_text(CLEAN, encoding="utf-8")
    result = run_cli("check", str(path), "--engine", "wasm", "--as-of", AS_OF)
    assert result.code == 0, result.err


def _example() -> dict[str, Any]:
    from checker.loader import load_path

    (doc,) = load_path(EXAMPLE, "example.yaml").documents
    return dict(doc.value)


def _engine_input_of(value: dict[str, Any]) -> dict[str, Any]:
    document = dict(value)
    document["_tdcheck"] = {"as_of": AS_OF}
    return document


@pytest.mark.parametrize("text", ["x\ud800y", "héllo ✓ 😀", 'a"b\\c\nd\te\u0000'])
def test_strings_reach_the_module_as_they_reach_opa(text: str, wasm_engine, opa_engine) -> None:  # type: ignore[no-untyped-def]
    """Non-ASCII, escapes and a lone surrogate (which a JSON manifest may escape and UTF-8
    cannot carry) give the findings an OPA server gives."""
    document = _engine_input_of(_example())
    document["spec"]["stages"][0]["id"] = text
    (ours,) = wasm_engine.evaluate([document])
    (theirs,) = opa_engine.evaluate([document])
    assert ours.error is None and theirs.error is None
    canonical = [sorted(json.dumps(f, sort_keys=True) for f in r.findings) for r in (ours, theirs)]
    assert canonical[0] == canonical[1]
    assert any(f["stage"] not in (None, "") for f in ours.findings)
