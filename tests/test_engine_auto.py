"""`--engine auto` picks by batch size; batches get one embedded worker per core."""

from __future__ import annotations

import pytest

from checker.engine import EngineOptions, opa_server, parallel_workers, resolve_engine_name


@pytest.fixture
def opa_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(opa_server, "find_opa", lambda: "/usr/local/bin/opa")


@pytest.fixture
def no_opa(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(opa_server, "find_opa", lambda: None)


def test_one_manifest_stays_in_process(opa_on_path: None) -> None:
    """The pre-commit path: starting a server costs more than evaluating one manifest."""
    assert resolve_engine_name("auto", EngineOptions(documents=1)) == "embedded"


def test_a_batch_goes_to_opa_when_it_is_installed(opa_on_path: None) -> None:
    assert resolve_engine_name("auto", EngineOptions(documents=2)) == "opa"
    assert resolve_engine_name("auto", EngineOptions(documents=10_000)) == "opa"


def test_without_opa_everything_is_embedded(no_opa: None) -> None:
    assert resolve_engine_name("auto", EngineOptions(documents=10_000)) == "embedded"


def test_a_configured_server_is_always_used(no_opa: None) -> None:
    options = EngineOptions(opa_urls=("http://opa:8181",), documents=1)
    assert resolve_engine_name("auto", options) == "opa"


def test_an_explicit_engine_is_kept(opa_on_path: None) -> None:
    assert resolve_engine_name("embedded", EngineOptions(documents=500)) == "embedded"
    assert resolve_engine_name("opa", EngineOptions(documents=1)) == "opa"


def test_workers_never_exceed_the_cores_nor_the_work() -> None:
    assert parallel_workers(0) == 1
    assert parallel_workers(1) == 1
    assert parallel_workers(3) == 1
    assert 1 <= parallel_workers(10_000) <= 64
