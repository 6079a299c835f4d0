"""Built-in functions a tdcheck policy may not call: a finding is decided from the manifest and
the policy data only, the same on every machine and on every day with the same --as-of.

`http.send` and `net.lookup_ip_addr` reach the network (tdcheck is offline unless an OPA URL
is given), `opa.runtime()` hands the host's environment and configuration to the policy
(CI secrets), and the clock and random numbers make the same audit come out differently
(`--as-of` is the date rules judge at; the policies read it as `input._tdcheck.as_of`).

The check is static, on the Rego source with strings and comments skipped, so it holds for
every engine: `opa run` has no `--capabilities` option (open-policy-agent/opa#4153) and
regopy none at all. It finds the names however a call is written: `http.send(r)`,
`http.send(r, out)`, `http["send"](r)`, and in `with ... as` mocks; `data.http.send` is a
rule, not a builtin.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from checker.errors import PolicyError

_OFFLINE = "rules must decide from the manifest and data only"
_REPRODUCIBLE = "a finding must not depend on when it is evaluated (use input._tdcheck.as_of)"
FORBIDDEN_BUILTINS: Mapping[str, str] = {
    "http.send": _OFFLINE,
    "net.lookup_ip_addr": _OFFLINE,
    "opa.runtime": _OFFLINE,
    "time.now_ns": _REPRODUCIBLE,
    "rand.intn": _REPRODUCIBLE,
    "uuid.rfc4122": _REPRODUCIBLE,
}

# Rego's tokens as far as refs need them; whitespace and anything else falls to `other`.
_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
      | (?P<string>"(?:\\.|[^"\\\n])*")
      | (?P<raw>`[^`]*`)
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<space>\s+)
      | (?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)


def check_builtins(display: str, source: str) -> None:
    """Refuse a module that mentions a forbidden builtin: `file:line:col: what, why`."""
    for offset, name in _refs(source):
        for forbidden, reason in FORBIDDEN_BUILTINS.items():
            if name == forbidden or name.startswith(forbidden + "."):
                line = source.count("\n", 0, offset) + 1
                column = offset - (source.rfind("\n", 0, offset) + 1) + 1
                raise PolicyError(
                    f"{display}:{line}:{column}: `{forbidden}` is not allowed in tdcheck "
                    f"policies: {reason}"
                )


def check_policy_files(directories: Iterable[Path]) -> None:
    """Every .rego file under the directories, `*_test.rego` too: `tdcheck policy test` has
    `opa test` run them, and a test calling `http.send` reaches the network just the same."""
    for directory in directories:
        for path in sorted(directory.rglob("*.rego")):
            try:
                source = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise PolicyError(f"{path}: cannot read policy: {exc}") from None
            check_builtins(str(path), source)


def _refs(source: str) -> Iterator[tuple[int, str]]:
    """(offset, dotted name) of every ref that starts with a name, `a.b["c"]` as `a.b.c`."""
    tokens = [
        (m.start(), m.lastgroup or "other", m.group())
        for m in _TOKEN.finditer(source)
        if m.lastgroup not in ("comment", "space")
    ]
    for i, (offset, kind, text) in enumerate(tokens):
        if kind != "name" or (i and tokens[i - 1][2] in (".", "]")):
            continue  # `data.http.send`, `x[0].http`: a part of a longer ref
        parts = [text]
        j = i + 1
        while j < len(tokens):
            if tokens[j][2] == "." and j + 1 < len(tokens) and tokens[j + 1][1] == "name":
                parts.append(tokens[j + 1][2])
                j += 2
            elif (
                tokens[j][2] == "["
                and j + 2 < len(tokens)
                and tokens[j + 1][1] in ("string", "raw")
                and tokens[j + 2][2] == "]"
            ):
                parts.append(_unquote(tokens[j + 1][1], tokens[j + 1][2]))
                j += 3
            else:
                break
        yield offset, ".".join(parts)


def _unquote(kind: str, text: str) -> str:
    if kind == "raw":
        return text[1:-1]
    try:
        value = json.loads(text)
    except ValueError:
        return text[1:-1]
    return value if isinstance(value, str) else text[1:-1]
