"""YAML streams turned into JSON-compatible documents, built from PyYAML's event stream.

PyYAML's composer and constructor recurse per nesting level, resolve scalars the
YAML 1.1 way and expand aliases without bound; building from events with an
explicit stack avoids all three.
"""

from __future__ import annotations

import yaml

from checker.errors import InputError, SourceSpan
from checker.loader.document import Document
from checker.loader.limits import Limits
from checker.loader.yaml_document import DocumentBuilder
from checker.loader.yaml_errors import parser_error

# libyaml's parser is several times faster; the pure-Python one gives the same events.
_LOADER: type[yaml.SafeLoader | yaml.CSafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# A file with thousands of broken lines should say so once, not thousands of times.
MAX_ERRORS = 20


class _Stop(Exception):
    """Stop reading the stream (too many errors)."""


def parse_yaml(
    text: str, source: str, limits: Limits
) -> tuple[tuple[Document, ...], tuple[InputError, ...]]:
    """Every complete, error-free document of a YAML stream, and every problem found.

    A syntax error ends the stream: documents completed before it are still returned.
    """
    documents: list[Document] = []
    errors: list[InputError] = []

    def report(error: InputError) -> None:
        errors.append(error)
        if len(errors) >= MAX_ERRORS:
            errors.append(InputError(SourceSpan(source), f"stopped after {MAX_ERRORS} errors"))
            raise _Stop

    index = -1
    doc = DocumentBuilder(source, index, limits, report)
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            # Ordered by frequency; after a limit error only document boundaries matter.
            if isinstance(event, yaml.ScalarEvent):
                if not doc.skipping:
                    doc.scalar(event)
            elif isinstance(event, yaml.CollectionStartEvent):
                if not doc.skipping:
                    doc.collection_start(event, isinstance(event, yaml.MappingStartEvent))
            elif isinstance(event, yaml.CollectionEndEvent):
                if not doc.skipping:
                    doc.collection_end()
            elif isinstance(event, yaml.AliasEvent):
                if not doc.skipping:
                    doc.alias(event)
            elif isinstance(event, yaml.DocumentStartEvent):
                index += 1
                doc = DocumentBuilder(source, index, limits, report)
            elif isinstance(event, yaml.DocumentEndEvent):
                finished = doc.finish()
                if finished is not None:
                    documents.append(finished)
                # Between documents nothing is being skipped: a later error must be reported.
                doc = DocumentBuilder(source, index, limits, report)
    except _Stop:
        pass
    except yaml.YAMLError as exc:
        # After a limit error the parser may trip over the same cause (libyaml caps flow
        # nesting at 1000); that document is already reported.
        if not doc.skipping:
            errors.append(parser_error(exc, source, text, _LOADER, limits.max_depth))
    return tuple(documents), tuple(errors)
