"""At most MAX_ERRORS_PER_FILE located errors per input file, then one summary line.

A generated or hostile manifest (3,000 stages that each read their own output, 3,000
dangling ids) would otherwise print thousands of lines and make the JSON and SARIF
reports grow with it. The first errors in source order are the ones worth fixing first;
the summary line says how many more there are and where they start.
"""

from __future__ import annotations

from collections.abc import Sequence

from checker.errors import InputError

MAX_ERRORS_PER_FILE = 50


def cap_errors(
    errors: Sequence[InputError], limit: int = MAX_ERRORS_PER_FILE
) -> tuple[InputError, ...]:
    """The first `limit` errors, plus one located summary of the rest when there are more."""
    if len(errors) <= limit:
        return tuple(errors)
    omitted = len(errors) - limit
    first_omitted = errors[limit]
    plural = "s" if omitted != 1 else ""
    summary = InputError(
        first_omitted.span,
        f"... and {omitted} more error{plural} in this file from here on "
        f"(tdcheck lists the first {limit} per file; fix those and run again)",
    )
    return (*errors[:limit], summary)
