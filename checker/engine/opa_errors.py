"""What went wrong talking to an OPA server, as one short line without secrets.

requests wraps the cause several levels deep (ConnectionError > MaxRetryError >
NewConnectionError > ConnectionRefusedError); the user needs the innermost reason, not
the wrapper's repr. Nothing here formats a request, so no header (the token) can leak.
"""

from __future__ import annotations

import json
import socket
import ssl
from collections.abc import Iterator

from checker.redact import redact


class Failure(Exception):
    """A decision that did not come back.

    retry: another attempt (on another server, or this one after a pause) may succeed, and
    repeating it is safe because a decision is a pure function of input, policy and data.
    down: this server is unusable for the rest of the run.
    """

    def __init__(self, message: str, *, retry: bool, down: bool = False) -> None:
        message = redact(message)  # a gateway may echo the Authorization header
        super().__init__(message)
        self.message = message
        self.retry = retry
        self.down = down


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        for attr in ("reason", "__cause__", "__context__"):
            nested = getattr(current, attr, None)
            if isinstance(nested, BaseException):
                todo.append(nested)
        todo.extend(arg for arg in current.args if isinstance(arg, BaseException))


def connection_reason(exc: BaseException) -> str:
    for cause in _chain(exc):
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, socket.gaierror):
            return "host name not found"
        if isinstance(cause, ConnectionResetError):
            return "connection reset"
        if type(cause).__name__ == "RemoteDisconnected":
            return "connection closed without an answer"
        if isinstance(cause, TimeoutError):
            return "connection timed out"
    return f"cannot connect ({type(exc).__name__})"


def tls_reason(exc: BaseException) -> str:
    for cause in _chain(exc):
        if isinstance(cause, ssl.SSLCertVerificationError):
            why = cause.verify_message or "certificate verify failed"
            return (
                f"TLS certificate verification failed: {why} (--opa-ca-file names the CA "
                "that signed the server's certificate)"
            )
        if isinstance(cause, ssl.SSLError):
            reason = cause.reason or type(cause).__name__
            hint = " (is the server speaking plain http?)" if "WRONG_VERSION" in reason else ""
            return f"TLS handshake failed: {reason}{hint}"
        if isinstance(cause, OSError) and "CA certificate bundle" in str(cause):
            return "cannot read the --opa-ca-file CA bundle"
    return "TLS failed"


def http_detail(status: int, content_type: str, body: bytes) -> str:
    """`HTTP 500: <OPA's message>`; for a body that is not OPA's JSON, its type only."""
    try:
        answer = json.loads(body)
    except ValueError:
        kind = content_type.split(";")[0].strip() or "unknown type"
        return f"HTTP {status} with a non-JSON body ({kind})"
    message = ""
    if isinstance(answer, dict):
        message = str(answer.get("message", ""))
        errors = answer.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            first = errors[0]
            where = first.get("location") or {}
            place = f"{where.get('file')}:{where.get('row')}: " if where.get("file") else ""
            message = f"{place}{first.get('code', '')}: {first.get('message', message)}"
    message = " ".join(message.split())[:300]
    return f"HTTP {status}: {message}" if message else f"HTTP {status}"
