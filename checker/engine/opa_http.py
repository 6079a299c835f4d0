"""One OPA server over its REST API: health and one decision per POST, every failure classified.

This uses requests directly rather than opa-python-client (whose sync client does hand a CA
path on to requests): the client rebuilds the URL from host and port, so a path prefix
behind a gateway and IPv6 literals are lost; its health check returns False whatever went
wrong (refused, TLS, 401), and the user needs the reason; because it puts the token in a
plain header, a ~/.netrc entry for the host silently replaces it; and its CA path, set on
the session, loses to REQUESTS_CA_BUNDLE in the environment. Here the token is the
session's `auth`, which requests never overrides, the CA file goes with every request, and
no message ever includes the token.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Mapping
from typing import Any

import requests

from checker.engine.opa_deadline import WATCHDOG, DeadlineAdapter
from checker.engine.opa_errors import Failure, connection_reason, http_detail, tls_reason

MAX_ANSWER_BYTES = 256 * 1024 * 1024  # a server streaming forever must not fill the memory
_CHUNK = 1 << 16
_GRACE_S = 0.25


class _Bearer(requests.auth.AuthBase):
    def __init__(self, token: str) -> None:
        self._token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self._token}"
        return request

    def __repr__(self) -> str:  # never the token, in a traceback or a debugger
        return "<bearer token>"


class Endpoint:
    """One server of the fleet; `url` is for messages, the base URL it was given."""

    def __init__(
        self,
        url: str,
        token: str | None,
        ca_file: str | None,
        timeout_s: float,
        *,
        local: bool = False,
    ) -> None:
        self.url = url.rstrip("/")
        self.label = "the local OPA server" if local else f"OPA at {self.url}"
        self._local_server = local  # our own loopback server: no proxy, no netrc
        self._auth = _Bearer(token) if token else None
        self._verify: bool | str = ca_file or True  # TLS verification is never switched off
        self._timeout = timeout_s
        self._local = threading.local()  # requests sessions are not shared between threads
        self._sessions: list[requests.Session] = []
        self._lock = threading.Lock()

    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.auth = self._auth
            session.trust_env = not self._local_server
            session.verify = self._verify
            session.headers["User-Agent"] = "tdcheck"
            for prefix in ("http://", "https://"):
                session.mount(prefix, DeadlineAdapter())
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        return session

    def health(self) -> None:
        """Raises Failure unless GET /health answers 200."""
        self._request("GET", "/health", None)

    def get(self, path: str) -> Any:
        """GET /v1/data/<path> parsed; raises Failure."""
        try:
            return json.loads(self._request("GET", f"/v1/data/{path}", None))
        except ValueError:
            raise Failure("answered with something that is not JSON", retry=False) from None

    def decide(self, path: str, document: Mapping[str, Any]) -> Any:
        """The parsed answer of POST /v1/data/<path>; raises Failure for anything else."""
        # strict-builtin-errors: a failing builtin is an error, as on the embedded engine,
        # not an undefined that silently drops a finding.
        body = json.dumps({"input": document}, separators=(",", ":")).encode()
        text = self._request("POST", f"/v1/data/{path}?strict-builtin-errors=true", body)
        try:
            return json.loads(text)
        except ValueError:
            raise Failure("answered with something that is not JSON", retry=False) from None

    def _request(self, method: str, path: str, body: bytes | None) -> bytes:
        deadline = time.monotonic() + self._timeout
        try:
            # --opa-timeout bounds the whole request; a little later than the read timeout,
            # which names a server that sent nothing more precisely.
            with WATCHDOG.guard(self._timeout + _GRACE_S):
                return self._exchange(method, path, body, deadline)
        except Failure as failure:
            late = "(--opa-timeout)" in failure.message
            if time.monotonic() >= deadline + _GRACE_S and not late:  # the watchdog cut it
                raise Failure(self._late("no complete answer"), retry=True, down=True) from None
            raise

    def _exchange(self, method: str, path: str, body: bytes | None, deadline: float) -> bytes:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        try:
            response = self._session().request(
                method,
                self.url + path,
                data=body,
                headers=headers,
                timeout=(min(self._timeout, 10.0), self._timeout),
                # Per request: requests lets REQUESTS_CA_BUNDLE override a session's CA file.
                verify=self._verify,
                allow_redirects=False,
                stream=True,
            )
        except requests.exceptions.SSLError as exc:
            raise Failure(tls_reason(exc), retry=True, down=True) from None
        except requests.exceptions.ConnectTimeout:
            raise Failure(self._late("no connection"), retry=True, down=True) from None
        except requests.exceptions.ReadTimeout:
            raise Failure(self._late("no answer"), retry=True, down=True) from None
        except requests.exceptions.ConnectionError as exc:
            raise Failure(connection_reason(exc), retry=True, down=True) from None
        except requests.RequestException as exc:
            raise Failure(f"request failed ({type(exc).__name__})", retry=False) from None
        with response:
            data = self._read(response, deadline)
        status = response.status_code
        if status == 200:
            return data
        detail = http_detail(status, response.headers.get("Content-Type", ""), data)
        if status in (502, 503, 504):  # a gateway or a server starting up: try again
            raise Failure(detail, retry=True)
        if status in (401, 403):
            hint = " (check TDCHECK_OPA_TOKEN)" if status == 401 else ""
            raise Failure(detail + hint, retry=True, down=True)
        if 300 <= status < 400:
            raise Failure(detail + " (redirects are not followed)", retry=True, down=True)
        raise Failure(detail, retry=False)

    def _read(self, response: requests.Response, deadline: float) -> bytes:
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_content(_CHUNK):
                size += len(chunk)
                if size > MAX_ANSWER_BYTES:
                    raise Failure(f"answer larger than {MAX_ANSWER_BYTES >> 20} MiB", retry=False)
                if time.monotonic() > deadline:  # a server trickling bytes is a hang too
                    raise Failure(self._late("no complete answer"), retry=True, down=True)
                chunks.append(chunk)
        except requests.RequestException as exc:
            raise Failure(
                f"connection broke off mid-answer ({type(exc).__name__})", retry=True, down=True
            ) from None
        return b"".join(chunks)

    def _late(self, what: str) -> str:
        return f"{what} within {self._timeout:g}s (--opa-timeout)"

    def close(self) -> None:
        with self._lock:
            for session in self._sessions:
                session.close()
            self._sessions.clear()
