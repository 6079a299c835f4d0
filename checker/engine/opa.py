"""The OPA engine: real OPA over its REST API (opa-python-client), local or at --opa-url."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from checker.engine.interface import EngineOptions, Evaluation, decode_findings
from checker.engine.opa_server import LocalOpaServer, find_opa, opa_version
from checker.errors import EngineConnectionError, EngineError, UsageError
from checker.policy import ENTRYPOINT, PolicySet


class OpaEngine:
    name = "opa"

    def __init__(self, policy: PolicySet, options: EngineOptions) -> None:
        self._server: LocalOpaServer | None = None
        if options.opa_urls:
            self.url = options.opa_urls[0]
            self._version = "remote"
        else:
            binary = find_opa()
            if binary is None:
                raise EngineError(
                    "--engine opa needs --opa-url or an `opa` binary on PATH "
                    "(go install github.com/open-policy-agent/opa@v1.22.3)"
                )
            self._server = LocalOpaServer(binary, policy)
            self.url = self._server.url
            self._version = opa_version(binary)
        self._client = _client(self.url, options)
        if not self._client.check_health():
            self.close()
            raise EngineConnectionError(f"cannot reach OPA at {self.url} (GET /health failed)")

    def version(self) -> str:
        return f"OPA {self._version}"

    def evaluate(self, documents: Sequence[Mapping[str, Any]]) -> list[Evaluation]:
        return [self._evaluate_one(document) for document in documents]

    def _evaluate_one(self, document: Mapping[str, Any]) -> Evaluation:
        import requests

        try:
            answer = self._client.query_rule(dict(document), ENTRYPOINT.replace("/", "."))
        except requests.HTTPError as exc:
            return Evaluation(error=f"OPA at {self.url} failed: {_http_problem(exc)}")
        except requests.RequestException as exc:
            return Evaluation(error=f"cannot reach OPA at {self.url}: {type(exc).__name__}")
        except ValueError:
            return Evaluation(error=f"OPA at {self.url} answered with something that is not JSON")
        if not isinstance(answer, dict) or "result" not in answer:
            return Evaluation(
                error=f"OPA at {self.url} has no tdcheck policies loaded "
                "(data.tdcheck.main.findings is undefined)"
            )
        try:
            return Evaluation(findings=decode_findings(answer["result"]))
        except ValueError as exc:
            return Evaluation(
                error=f"OPA at {self.url} returned a decision of the wrong shape: {exc}"
            )

    def close(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None


def _client(url: str, options: EngineOptions) -> Any:
    from opa_client.opa import OpaClient

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"--opa-url {url!r} is not an http(s) URL")
    ssl: bool | str = parts.scheme == "https"
    if ssl and options.opa_ca_file:
        ssl = options.opa_ca_file
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return OpaClient(
        host=parts.hostname,
        port=port,
        ssl=ssl,  # the sync client hands a CA path on to requests' verify
        token=options.opa_token,
        retries=0,
        timeout=options.timeout_s,
    )


def _http_problem(exc: Any) -> str:
    response = getattr(exc, "response", None)
    if response is None:
        return "HTTP error"
    status = response.status_code
    try:
        body = response.json()
        message = body.get("message", "") if isinstance(body, dict) else ""
        errors = body.get("errors", []) if isinstance(body, dict) else []
        if errors and isinstance(errors[0], dict):
            message = errors[0].get("message", message)
        return f"HTTP {status}: {message}".rstrip(": ")
    except ValueError:
        return f"HTTP {status} with a non-JSON body"


def create(policy: PolicySet, options: EngineOptions) -> OpaEngine:
    return OpaEngine(policy, options)
