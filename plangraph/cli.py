"""The ``plangraph`` command line: one Typer app, one module per command group.

Each module in ``plangraph/commands/`` registers its commands on ``app`` when imported, so a new
command is a new module plus one line in ``COMMAND_MODULES``.
"""

import sys
from importlib import import_module
from typing import Any

import click
import typer
from typer.core import TyperGroup

from plangraph.graph.errors import StoreError

#: The exit code of a command stopped by its store (missing, damaged, not writable): 1, as every
#: command that cannot answer.
STORE_EXIT = 1


class Commands(TyperGroup):
    """The command group; every command's store errors end here, whichever command raised them:
    one line on stderr naming the store and what is wrong, exit code ``STORE_EXIT``, never a
    traceback. A wrong ``--db`` or a damaged file is the user's situation, not a bug."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except StoreError as exc:
            one_line = " ".join(str(exc).split())
            click.echo(f"error: {one_line}", err=True)
            raise typer.Exit(STORE_EXIT) from None


app = typer.Typer(
    cls=Commands,
    no_args_is_help=True,
    add_completion=False,
    help="plangraph: who is responsible for what in China's science-literacy plans.",
    pretty_exceptions_enable=False,
)



@app.callback()
def main() -> None:
    """plangraph: who is responsible for what in China's science-literacy plans."""


COMMAND_MODULES: list[str] = [
    "parse",
    "render",
    "synth",
    "load",
    "stats",
    "compact",
    "check",
    "import_legacy",
    "serve",
    "query",
    "agencies",
    "overlap",
    "cascade",
    "national",
]

#: The commands each module defines. A command runs with only its own module imported: a question
#: asked from a fresh process must not first import the map renderer, the parser and the server
#: (seconds). Help, and a name not listed here, import them all.
COMMANDS_OF: dict[str, tuple[str, ...]] = {
    "parse": ("parse",), "render": ("render",), "synth": ("synth",), "load": ("load",), "stats": ("stats",),
    "compact": ("compact",), "check": ("check", "reparse"), "import_legacy": ("import-legacy",),
    "serve": ("serve",), "query": ("tasks", "agency", "jurisdiction", "compare", "export"),
    "agencies": ("agencies", "kinds"), "overlap": ("overlap", "themes", "render"),
}


def _modules_for(argv: list[str]) -> list[str]:
    command = argv[1] if len(argv) > 1 else ""
    wanted = [m for m in COMMAND_MODULES if command in COMMANDS_OF.get(m, ())]
    return wanted or COMMAND_MODULES


for _name in _modules_for(sys.argv):
    import_module(f"plangraph.commands.{_name}")
