"""Inputs to documents: find YAML/JSON inputs, read them within limits, keep node positions."""

from __future__ import annotations

from checker.loader.discover import InputRef, discover
from checker.loader.document import Document, JsonPath, LoadedSource, json_path_text
from checker.loader.limits import DEFAULT_LIMITS, Limits
from checker.loader.read import declares_a_manifest, load_bytes, load_path, load_ref

__all__ = [
    "DEFAULT_LIMITS",
    "Document",
    "InputRef",
    "JsonPath",
    "Limits",
    "LoadedSource",
    "declares_a_manifest",
    "discover",
    "json_path_text",
    "load_bytes",
    "load_path",
    "load_ref",
]
