"""The two terminals every command writes to, and how problems are printed on stderr.

Problem text is printed as plain text, never as Rich markup: a file name or a record with
brackets in it must reach the user exactly as it is.
"""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

out = Console()
err = Console(stderr=True)


def error(message: str) -> None:
    """`error: <message>` on stderr."""
    err.print(Text.assemble(("error: ", "bold red"), message), soft_wrap=True, highlight=False)


def problem(line: str) -> None:
    """One item of a list of problems (a bad record, a failed partition) on stderr."""
    err.print(Text.assemble(("  ✘ ", "red"), line), soft_wrap=True, highlight=False)
