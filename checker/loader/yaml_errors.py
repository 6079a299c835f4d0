"""PyYAML's parser exceptions as one-line input errors at the place they point to."""

from __future__ import annotations

import yaml

from checker.errors import InputError, SourceSpan

# libyaml refuses flow nesting past this depth while scanning ahead, before our own depth
# check sees the events; below it, that refusal means our limit was exceeded too.
_LIBYAML_MAX_DEPTH = 1000


def parser_error(
    exc: yaml.YAMLError, source: str, text: str, loader: type, max_depth: int
) -> InputError:
    if isinstance(exc, yaml.MarkedYAMLError):
        return _syntax_error(exc, source, max_depth)
    return _reader_error(exc, source, text, loader)


def _syntax_error(exc: yaml.MarkedYAMLError, source: str, max_depth: int) -> InputError:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
    if "maximum nesting depth" in (exc.problem or "") and max_depth < _LIBYAML_MAX_DEPTH:
        return InputError(
            SourceSpan(source, line, column), f"nesting is deeper than {max_depth} levels"
        )
    message = f"YAML syntax error: {exc.problem or exc.context or 'invalid YAML'}"
    context_mark = exc.context_mark
    # The context ("while parsing a block mapping") helps only when it started elsewhere.
    if exc.context and exc.problem and context_mark is not None and context_mark.line + 1 != line:
        message += f" ({exc.context} at line {context_mark.line + 1})"
    return InputError(SourceSpan(source, line, column), message)


def _reader_error(exc: yaml.YAMLError, source: str, text: str, loader: type) -> InputError:
    position = getattr(exc, "position", None)
    character = getattr(exc, "character", None)
    line = column = 0
    if isinstance(position, int):
        if loader is not yaml.SafeLoader:
            # libyaml reports a byte offset into the UTF-8 encoding of the text.
            position = len(text.encode("utf-8")[:position].decode("utf-8", "ignore"))
        line = text.count("\n", 0, position) + 1
        column = position - (text.rfind("\n", 0, position) + 1) + 1
    if isinstance(character, int):
        message = f"character #x{character:02x} is not allowed in YAML text"
    else:
        message = f"YAML cannot read this text: {getattr(exc, 'reason', exc)}"
    return InputError(SourceSpan(source, line, column), message)
