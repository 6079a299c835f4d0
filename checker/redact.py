"""Credentials never reach an output: the OPA token, and any `Authorization:` or `Bearer` text.

A gateway in front of OPA may echo the request's headers in an error body, and an OPA error
body is quoted in every report format and on stderr; so is whatever a server says about a
failed health check. The token itself is registered when the engine options are built, so
it is replaced wherever it shows up, in whatever shape a gateway reformats the header.
"""

from __future__ import annotations

import re

REDACTED = "[redacted]"
_SECRETS: set[str] = set()
# Not `[redacted]` again: redacting twice changes nothing.
_HEADER = re.compile(
    r"""(?i)(authorization["']?\s*[:=]\s*["']?)"""
    r"""(?:(?:bearer|basic|token)\s+)?(?!\[redacted\])[^\s"',;}\]]+"""
)
_BEARER = re.compile(r"(?i)(\bbearer\s+)(?!\[redacted\])[A-Za-z0-9\-._~+/]+=*")
_HINTS = ("uthori", "earer", "UTHORI", "EARER")


def register_secret(secret: str | None) -> None:
    """A credential this run holds; short strings are ignored (they would mangle text)."""
    if secret and len(secret) >= 6:
        _SECRETS.add(secret)


def redact(text: str) -> str:
    """`text` without any registered secret, Authorization header value or bearer token."""
    if any(hint in text for hint in _HINTS):  # the header first: its whole value goes
        text = _HEADER.sub(rf"\g<1>{REDACTED}", text)
        text = _BEARER.sub(rf"\g<1>{REDACTED}", text)
    for secret in _SECRETS:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text
