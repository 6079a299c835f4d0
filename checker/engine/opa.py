"""The OPA engine: real OPA over its REST API, a local server for the run or a fleet at --opa-url.

A decision that did not come back, or came back undefined or of the wrong shape, is an
Evaluation error for that manifest (exit 3), never an empty list of findings.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from checker.engine import canary
from checker.engine.interface import EngineOptions, Evaluation, decode_findings
from checker.engine.opa_errors import Failure
from checker.engine.opa_fleet import Answer, Fleet
from checker.engine.opa_http import Endpoint
from checker.engine.opa_server import LocalOpaServer, find_opa, opa_version
from checker.errors import EngineError, UsageError
from checker.policy import ENTRYPOINT, PolicySet
from checker.redact import register_secret

UNKNOWN_REVISION = "unknown (remote policies, --opa-trust-remote-policy)"


class OpaEngine:
    name = "opa"
    checks_canary = True  # each server of the fleet, in __init__

    def __init__(self, policy: PolicySet, options: EngineOptions) -> None:
        token = checked_token(options.opa_token)
        ca_file = checked_ca_file(options.opa_ca_file)
        urls = tuple(checked_url(url) for url in options.opa_urls)
        self._server: LocalOpaServer | None = None
        if urls:
            self._version = "remote" if len(urls) == 1 else f"remote, {len(urls)} servers"
        else:
            binary = find_opa()
            if binary is None:
                raise EngineError(
                    "--engine opa needs --opa-url or an `opa` binary on PATH "
                    "(go install github.com/open-policy-agent/opa@v1.22.3)"
                )
            self._server = LocalOpaServer(binary, policy)
            urls = (self._server.url,)
            token = self._server.token  # the run's own; TDCHECK_OPA_TOKEN is for a fleet
            self._version = opa_version(binary)
        local = self._server is not None
        self._fleet = Fleet(
            [Endpoint(url, token, ca_file, options.timeout_s, local=local) for url in urls]
        )
        trust = options.trust_remote_policy and self._server is None
        # What judged the run, for the report: None is this run's policy digest.
        self.policy_revision: str | None = None
        try:
            self._fleet.check_health()
            if self._server is None:  # our own server holds this run's policies
                served = self._fleet.check_revision(policy.digest, trust=trust)
                if trust and served != {policy.digest}:
                    self.policy_revision = ", ".join(sorted(served)) or UNKNOWN_REVISION

            def verdict(label: str, answers: list[Any]) -> str | None:
                found = [self._interpret(Answer(label, answer)) for answer in answers]
                return canary.judge(policy, found, strict=not trust)

            self._fleet.check_canary(ENTRYPOINT, canary.documents(), verdict)
        except BaseException:  # an error, or an interrupt: the local server goes with it
            self.close()
            raise

    def version(self) -> str:
        return f"OPA {self._version}"

    def evaluate(self, documents: Sequence[Mapping[str, Any]]) -> list[Evaluation]:
        answers = self._fleet.decide_all(ENTRYPOINT, documents)
        return [self._interpret(answer) for answer in answers]

    def _interpret(self, answer: Answer | Failure) -> Evaluation:
        if isinstance(answer, Failure):
            return Evaluation(error=self._with_exit(answer.message))
        label, value = answer
        if not isinstance(value, dict):
            return Evaluation(
                error=f"{label} returned a decision of the wrong shape: not an object"
            )
        if "result" not in value:
            return Evaluation(
                error=f"{label} has no tdcheck policies loaded (data.tdcheck.main.findings is "
                "undefined; load the `tdcheck bundle` output)"
            )
        try:
            return Evaluation(findings=decode_findings(value["result"]))
        except ValueError as exc:
            return Evaluation(error=f"{label} returned a decision of the wrong shape: {exc}")

    def _with_exit(self, message: str) -> str:
        """The local server is ours: policy paths without its temp dir; if it died, say so."""
        if self._server is None:
            return message
        message = message.replace(self._server.bundle_prefix, "")
        status = self._server.exit_status()
        return f"{message} (it {status})" if status else message

    def close(self) -> None:
        self._fleet_close()
        if self._server is not None:
            self._server.stop()
            self._server = None

    def _fleet_close(self) -> None:
        fleet = getattr(self, "_fleet", None)
        if fleet is not None:
            fleet.close()


def checked_url(url: str) -> str:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises for a port out of range or not a number
    except ValueError as exc:
        raise UsageError(f"--opa-url {_safe(url)!r} is not a valid URL ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"--opa-url {_safe(url)!r} is not an http(s) URL")
    if parts.username is not None or parts.password is not None:
        raise UsageError(
            "--opa-url must not carry credentials; the bearer token comes from TDCHECK_OPA_TOKEN"
        )
    if parts.query or parts.fragment:
        raise UsageError(
            f"--opa-url {_safe(url)!r} has a query or fragment; give the server's base URL"
        )
    return url.rstrip("/")


def _safe(url: str) -> str:
    """A URL for a message, without anything that may be a credential."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<not a URL>"
    host = parts.netloc.rsplit("@", 1)[-1]
    return f"{parts.scheme}://{host}{parts.path}" if parts.scheme else "<not a URL>"


def checked_token(token: str | None) -> str | None:
    if token is None:
        return None
    token = token.strip()  # `export TDCHECK_OPA_TOKEN=$(cat file)` may keep a newline
    if not token:
        return None
    if not all("\x21" <= char <= "\x7e" for char in token):
        # Never echo it: requests would quote the whole header in its exception.
        raise UsageError(
            "TDCHECK_OPA_TOKEN holds characters an HTTP header cannot carry "
            "(spaces, control or non-ASCII characters)"
        )
    register_secret(token)
    return token


def checked_ca_file(path: str | None) -> str | None:
    if not path:
        return None
    if not os.path.isfile(path) or not os.access(path, os.R_OK):
        raise UsageError(f"--opa-ca-file {path}: not a readable file")
    return path


def create(policy: PolicySet, options: EngineOptions) -> OpaEngine:
    return OpaEngine(policy, options)
