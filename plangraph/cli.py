"""The ``plangraph`` command line: one Typer app, one module per command group.

Each module in ``plangraph/commands/`` registers its commands on ``app`` when imported, so a new
command is a new module plus one line in ``COMMAND_MODULES``.
"""

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
    "serve",
    "query",
    "agencies",
    "overlap",
    "cascade",
    "national",
]

for _name in COMMAND_MODULES:
    import_module(f"plangraph.commands.{_name}")
