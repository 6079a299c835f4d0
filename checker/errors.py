"""One error hierarchy with one root; `exit_code_for` is the only place errors become codes."""

from __future__ import annotations

from dataclasses import dataclass

from checker.textsafe import inline

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2
EXIT_EVALUATION = 3
EXIT_INTERRUPTED = 130


class CheckerError(Exception):
    """Root of every error tdcheck raises on purpose."""

    exit_code = EXIT_EVALUATION


class UsageError(CheckerError):
    """A command line or configuration the contract does not accept."""

    exit_code = EXIT_INPUT


@dataclass(frozen=True, slots=True)
class SourceSpan:
    """Where an input problem is: a display path and a 1-based line and column (0 = unknown)."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column or 1}"
        return self.file


class InputError(CheckerError):
    """An input that could not be read, parsed or validated; other inputs still run."""

    exit_code = EXIT_INPUT

    def __init__(self, span: SourceSpan, message: str, json_path: str = "") -> None:
        self.span = span
        self.message = message
        self.json_path = json_path
        super().__init__(self.one_line())

    def one_line(self) -> str:
        where = f"{self.json_path}: " if self.json_path else ""
        # The file name and the message may carry manifest text: a line break would split it.
        return inline(f"{self.span}: {where}{self.message}")


class PolicyError(CheckerError):
    """A policy failed to load, compile or evaluate."""


class EngineError(CheckerError):
    """The engine (embedded or an OPA server) failed or answered nonsense."""


class PolicyMismatch(EngineError):
    """The engine does not give what this run's policies give (canary, bundle revision): the
    whole run is refused with one line rather than reported as evaluated."""


class EngineConnectionError(EngineError):
    """An OPA server could not be reached."""


def exit_code_for(error: BaseException) -> int:
    if isinstance(error, KeyboardInterrupt):
        return EXIT_INTERRUPTED
    if isinstance(error, CheckerError):
        return error.exit_code
    return EXIT_EVALUATION
