"""Validation of loaded manifests: the JSON Schema first, then the integrity rules."""

from __future__ import annotations

from checker.errors import InputError
from checker.loader.document import Document
from checker.validate.fast import schema_check
from checker.validate.integrity import duplicate_names, integrity_errors
from checker.validate.schema import load_manifest_schema, manifest_validator, schema_errors

__all__ = [
    "duplicate_names",
    "integrity_errors",
    "load_manifest_schema",
    "manifest_validator",
    "schema_errors",
    "validate_document",
]


def validate_document(doc: Document) -> tuple[InputError, ...]:
    """All input errors of one manifest document; empty when it is valid.

    Integrity rules assume the schema's shape (required fields present, right types),
    so they only run once the schema passes.
    """
    # jsonschema only for a document the precompiled check rejects: it alone words the
    # errors, and importing it costs more than validating (fast.py).
    if not schema_check("manifest.schema.json")(doc.value):
        errors = schema_errors(doc, manifest_validator())
        if errors:
            return errors
    return integrity_errors(doc)
