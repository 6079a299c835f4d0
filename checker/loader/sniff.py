"""Does a file declare itself a manifest? A cheap look at its bytes, before any strict parse.

Infra repositories are full of YAML and JSON that is not ours to judge: CI files with
`!reference`, CloudFormation with `!Ref`, merge keys, JSON with comments, Helm templates,
lock files of many MB. In a walk (and for pre-commit's file lists) only a file that
declares itself a manifest is parsed; any other file is skipped with a notice, whatever
it holds. The look is generous where it must be (quoted keys, flow style, JSON, tags and
anchors on the value) so a real manifest is never skipped, and it wants the key at the
start of a line or inside a flow mapping, so a commented `# kind: TrainingDeployment` or
a manifest quoted in an indented CI script does not count.
"""

from __future__ import annotations

import re

_KEY = rb"""["']?(?:kind["']?[ \t]*:\s*(?:[!&]\S*\s+)*["']?TrainingDeployment(?![\w.-])"""
_KEY += rb"""|apiVersion["']?[ \t]*:\s*(?:[!&]\S*\s+)*["']?tdcheck/)"""
# Block style: a key of the document's root mapping starts a line (optionally after `---`).
# Flow style: the key follows `{` or `,` anywhere. JSON (with comments too): key and value
# both in double quotes, anywhere.
_JSON = rb'"kind"\s*:\s*"TrainingDeployment"|"apiVersion"\s*:\s*"tdcheck/'
_DECLARATION = re.compile(rb"(?:^(?:---[ \t]+)?|[{,]\s*)(?:" + _KEY + rb")|" + _JSON, re.MULTILINE)
_MARKERS = (b"TrainingDeployment", b"tdcheck/")
# UTF-32 first: its little-endian mark starts with UTF-16's.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def declares_manifest(data: bytes) -> bool:
    """True when some document of `data` declares `kind: TrainingDeployment` or
    `apiVersion: tdcheck/...` (such a file is parsed strictly, and its problems are errors)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            # Wrongly encoded but meant as a manifest: loading it says what is wrong.
            data = data.decode(encoding, "replace").encode("utf-8")
            break
    data = data.removeprefix(b"\xef\xbb\xbf")  # a UTF-8 byte order mark before the first key
    if not any(marker in data for marker in _MARKERS):  # a substring scan: fast on 10 MB
        return False
    return _DECLARATION.search(data) is not None
