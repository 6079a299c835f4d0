"""Subcommands beyond check/validate/rules/schema: one module each, one line in COMMAND_MODULES.

Each module defines `command`, a click.Command named like the module. `LazyGroup` imports a
module only when its command is invoked (or listed, for --help), so registering them costs
nothing on the pre-commit path: `tdcheck check` imports none of them.
"""

from __future__ import annotations

import importlib

import click

COMMAND_MODULES: tuple[str, ...] = (
    "advise",  # tdcheck advise MANIFEST... (where may each stage run?)
    "bundle",  # tdcheck bundle -o bundle.tar.gz (an OPA bundle for a fleet)
    "config",  # tdcheck config (the settings in force and where each comes from)
    "explain",  # tdcheck explain RULE_ID
    "init",  # tdcheck init [DIR]
    "policy",  # tdcheck policy test
    "providers",  # tdcheck providers [--provider P] (the provider catalogue)
    "report",  # tdcheck report PATH... -o FILE.html|.md
)


def load_command(name: str) -> click.Command:
    command: click.Command = importlib.import_module(f"checker.commands.{name}").command
    return command


def load_commands() -> list[click.Command]:
    return [load_command(name) for name in COMMAND_MODULES]


class LazyGroup(click.Group):
    """A click group whose COMMAND_MODULES commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMAND_MODULES})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            self.add_command(load_command(cmd_name))
        return self.commands.get(cmd_name)

    def load_all(self) -> None:
        """Every command in `self.commands` (the configuration file reads their options)."""
        for name in COMMAND_MODULES:
            if name not in self.commands:
                self.add_command(load_command(name))
