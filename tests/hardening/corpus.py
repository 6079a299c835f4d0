"""The bad-input corpus: each case is a file, the error the contract promises, and where.

Files are generated (binary, huge and special files have no place in git). `where` is the
`line:col` the one-line error must name, or "" when the problem has no position (an
empty file, a file too large to read). `code` is the exit code of a run over that file
alone: 2 for bad input; 0 or 1 where a YAML 1.1 "surprise" is just a value under the
YAML 1.2 core schema and must be evaluated as written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from tests.test_cli import CLEAN, PHI_ABROAD


@dataclass(frozen=True)
class Case:
    name: str  # also the file name
    content: bytes
    message: str  # a fragment of the one-line error (or of the report, for code 0/1)
    where: str = ""
    code: int = 2


def _bomb() -> bytes:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for level, name in enumerate("bcdefghi"):
        previous = "abcdefghi"[level]
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return ("\n".join(lines) + "\n").encode()


def _replace(text: str, old: str, new: str) -> bytes:
    assert old in text, old
    return text.replace(old, new).encode()


_BIG = 8 * 1024 * 1024 + 1
_DEEP_BLOCK = "".join(f"{'  ' * i}k{i}:\n" for i in range(70)) + "  " * 70 + "v: 1\n"

CASES = (
    Case("malformed.yaml", b"apiVersion: tdcheck/v1\nmetadata: {name: x\nspec: []\n",
         "YAML syntax error: did not find expected ',' or '}'", "3:5"),
    Case("malformed.json", b'{"apiVersion": "tdcheck/v1",\n "kind": ', "JSON syntax error", "2:10"),
    Case("trailing-comma.json", b'{"kind": "TrainingDeployment",}', "JSON syntax error", "1:31"),
    Case("tabs.yaml", b"kind: TrainingDeployment\nmetadata:\n\tname: x\n", "YAML syntax error",
         "3:1"),
    Case("duplicate-key.yaml", b"apiVersion: tdcheck/v1\nkind: TrainingDeployment\nkind: Other\n",
         "duplicate key 'kind' (first defined at line 2)", "3:1"),
    Case("duplicate-key.json", b'{"kind": "TrainingDeployment",\n "kind": "Other"}',
         "duplicate key 'kind' (first defined at line 1)", "2:2"),
    Case("yaml11-yes.yaml", _replace(CLEAN, "audit_logging: true", "audit_logging: yes"),
         "expected a boolean (true or false), got string 'yes'", "13:22"),
    Case("yaml11-on.yaml", _replace(CLEAN, "hipaa_baa: true", "hipaa_baa: on"),
         "expected a boolean (true or false), got string 'on'", "18:18"),
    Case("yaml11-octal.yaml", _replace(CLEAN, "{name: phi-home}",
                                       "{name: phi-home, labels: {mode: 0755}}"),
         "expected a string, got integer 755; quote the value", "3:43"),
    Case("yaml11-sexagesimal.yaml", _replace(CLEAN, "country: US\n      encryption_at_rest: c",
                                             "country: US\n      accelerators: 1:20\n"
                                             "      encryption_at_rest: c"),
         "got string '1:20'", "12:21"),
    # `NO` stays Norway (YAML 1.1 would read false): PHI in Norway fails residency, exit 1.
    Case("yaml11-norway.yaml",
         _replace(PHI_ABROAD.replace("phi-abroad", "phi-norway"), "country: DE", "country: NO"),
         "NO is not in phi_allowed_countries", code=1),
    Case("alias-bomb.yaml", _bomb(), "alias expansion exceeds 200000 nodes (possible alias bomb)",
         "6:12"),
    Case("recursive-alias.yaml", b"a: &a [1, *a]\n", "alias *a is inside the node it refers to",
         "1:11"),
    Case("deep-flow.yaml", b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n",
         "nesting is deeper than 64 levels", "1:1003"),  # where libyaml stops scanning
    Case("deep-block.yaml", _DEEP_BLOCK.encode(), "nesting is deeper than 64 levels", "65:129"),
    Case("deep.json", b"[" * 100_000 + b"]" * 100_000, "nesting is deeper than 64 levels", "1:65"),
    Case("too-large.yaml", b"# " + b"x" * _BIG, "larger than the limit of 8388608 bytes"),
    Case("binary.yaml", b"kind: x\n\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
         "binary content (NUL byte)", "4:1"),
    Case("latin1.yaml", "kind: TrainingDeployment\nmetadata: {name: café}\n".encode("latin-1"),
         "not valid UTF-8 (byte 0xe9 at offset 45)", "2:21"),
    Case("utf16.yaml", "kind: TrainingDeployment\n".encode("utf-16"),
         "file is UTF-16/UTF-32 encoded; expected UTF-8"),
    Case("python-tag.yaml", b"kind: !!python/object/apply:os.system ['touch /tmp/pwned']\n",
         "tag !!python/object/apply:os.system is not allowed", "1:7"),
    Case("python-name.yaml", b"- !!python/name:os.system\n", "tag !!python/name:os.system is not",
         "1:3"),
    Case("custom-tag.yaml", b"kind: !Ref TrainingDeployment\n", "tag !Ref is not allowed", "1:7"),
    Case("merge-key.yaml", b"base: &b {x: 1}\nother:\n  <<: *b\n", "merge keys (<<)", "3:3"),
    Case("non-string-key.yaml", b"kind: TrainingDeployment\n1: one\n",
         "mapping key must be a string, found integer 1", "2:1"),
    Case("nan.json", b'{"kind": "TrainingDeployment", "x": NaN}', "NaN is not a finite number",
         "1:37"),
    Case("infinity.json", b'{"x": [1, -Infinity]}', "-Infinity is not a finite number", "1:11"),
    Case("overflow.json", b'{"x": 1e999}', "1e999 is not a finite number", "1:7"),
    Case("nan.yaml", b"kind: TrainingDeployment\nx: .nan\ny: -.inf\n", "is not a finite number",
         "2:4"),
    # Found by the fuzzer: regopy cannot read these doubles (std::stod), OPA can.
    Case("subnormal.json", b'{"kind": "TrainingDeployment", "x": 1.1e-308}',
         "1.1e-308 is outside the range of numbers tdcheck evaluates", "1:37"),
    Case("subnormal.yaml", b"x: 5e-324\n", "'5e-324' is outside the range of numbers", "1:4"),
    # Found while fixing that: `float()` of a 400-digit integer raised OverflowError (exit 3).
    Case("float-tag-overflow.yaml", b"x: !!float 1" + b"0" * 400 + b"\n",
         "is outside the range of numbers tdcheck evaluates", "1:4"),
    Case("huge-int.yaml", b"x: " + b"9" * 5000 + b"\n", "is too long", "1:4"),
    Case("empty.yaml", b"", "no manifest found (no document with kind TrainingDeployment)"),
    Case("empty.json", b"  \n", "no manifest found"),
    Case("comments-only.yaml", b"# nothing here\n---\n", "no manifest found"),
    Case("configmap.yaml", b"apiVersion: v1\nkind: ConfigMap\n", "no manifest found"),
    Case("list-at-top.yaml", b"- kind: TrainingDeployment\n", "no manifest found"),
    Case("missing-fields.yaml", b"apiVersion: tdcheck/v1\nkind: TrainingDeployment\n",
         "missing required field 'metadata'", "1:1"),
    Case("wrong-types.json", json.dumps({
        "apiVersion": "tdcheck/v1", "kind": "TrainingDeployment", "metadata": {"name": "x"},
        "spec": {"datasets": {"id": "a"}, "locations": [], "stages": "all"}}).encode(),
        "$.spec.datasets: expected a list, got an object", "1:108"),
    Case("unknown-location.yaml", _replace(CLEAN, "location: dc,", "location: dcc,"),
         "$.spec.stages[0].location: unknown location 'dcc' (did you mean 'dc'?)", "23:47"),
    Case("unknown-dataset.yaml", _replace(CLEAN, "inputs: [records]", "inputs: [record]"),
         "unknown dataset 'record' (did you mean 'records'?)", "24:62"),
    Case("cycle.yaml",
         _replace(CLEAN, "outputs: [records]}", "inputs: [model], outputs: [records]}"),
         "cycle in the stage graph: stage ingest -> train -> ingest", "23:7"),
    Case("self-transfer.yaml", _replace(CLEAN, "{from: dc, to: eu-gpu", "{from: dc, to: dc"),
         "transfer from 'dc' to itself", "26:22"),
    Case("crlf.yaml", PHI_ABROAD.replace("phi-abroad", "phi-crlf").replace("\n", "\r\n").encode(),
         "phi-crlf", code=1),
)  # fmt: skip
