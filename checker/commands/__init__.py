"""Subcommands beyond check/validate/rules/schema: one module each, one line in COMMAND_MODULES.

Each module defines `command`, a click.Command. Modules import their heavy dependencies
inside the command body, so registering them costs nothing on the pre-commit path.
"""

from __future__ import annotations

import importlib

import click

COMMAND_MODULES: tuple[str, ...] = (
    "advise",  # tdcheck advise MANIFEST... (where may each stage run?)
    "bundle",  # tdcheck bundle -o bundle.tar.gz (an OPA bundle for a fleet)
    "explain",  # tdcheck explain RULE_ID
    "init",  # tdcheck init [DIR]
    "policy",  # tdcheck policy test
    "report",  # tdcheck report PATH... -o FILE.html|.md
)


def load_commands() -> list[click.Command]:
    commands = []
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"checker.commands.{name}")
        commands.append(module.command)
    return commands
