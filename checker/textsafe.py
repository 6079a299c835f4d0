r"""Strings from manifests, file names and waivers made safe inside one line of plain text.

Plain text lands in terminals and CI logs, which both give meaning to some characters:
LF, and CR too, end a line (one finding would become two, the second made of data); ESC
starts terminal control sequences; the other C0 and C1 controls, the Unicode line and
paragraph separators and the bidirectional overrides move or hide what is shown. Each is
written as a backslash escape (`\n`, `\r`, `\t`, `\x1b`, `\u2028`): nothing is dropped.

The GitHub Actions runner reads a line that starts with `::` (after blanks) as a workflow
command, and `##[name]` anywhere in a line as its legacy form: `::error file=z::forged`
from a manifest would be an annotation. A leading `::` is written `\x3a:` and `##[` as
`##\x5b`, whichever line the string ends up at the start of.

Backslashes are not doubled: ordinary strings, Windows paths included, come out as they
went in, and escaping twice changes nothing (`inline(inline(s)) == inline(s)`), so a
renderer may escape a line built from pieces that were escaped already.
"""

from __future__ import annotations

import html
import re

_CONTROLS = r"\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[{_CONTROLS}]")
_COMMAND_START = re.compile(r"\s*:(?=:)")
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return _SHORT.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def inline(text: str) -> str:
    """`text` with no line break, control character or workflow command left in it."""
    # The usual case, in a third of the time a regular expression takes: every character
    # printable (controls, separators and blanks other than a space are not) and no command.
    if text.isprintable() and "##[" not in text and not text.lstrip(" ").startswith("::"):
        return text
    text = _CONTROL.sub(_escape, text).replace("##[", "##\\x5b")
    start = _COMMAND_START.match(text)
    if start is not None:
        text = text[: start.end() - 1] + "\\x3a" + text[start.end() :]
    return text


def escape_controls(text: str, keep: str = "") -> str:
    """Every control character (as `inline` sees them) as a visible backslash escape, except
    those in `keep`, which the caller escapes its own way (a format's line breaks)."""
    if text.isprintable():
        return text
    return _CONTROL.sub(lambda m: m.group() if m.group() in keep else _escape(m), text)


def html_text(text: str) -> str:
    """Text for HTML and SVG, in an element or an attribute: markup escaped, controls visible,
    line breaks as character references (no line of the file starts with data, so a workflow
    command in an id never reaches a log that shows the file), `##[` broken the same way."""
    text = html.escape(escape_controls(text, keep="\n\t"))
    text = text.replace("\n", "&#10;").replace("\t", "&#9;").replace("##[", "##&#91;")
    start = _COMMAND_START.match(text)
    if start is not None:
        text = text[: start.end() - 1] + "&#58;" + text[start.end() :]
    return text
