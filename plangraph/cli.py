"""The ``plangraph`` command line: one Typer app, one module per command group.

Each module in ``plangraph/commands/`` registers its commands on ``app`` when imported, so a new
command is a new module plus one line in ``COMMAND_MODULES``.
"""

from importlib import import_module

import typer

app = typer.Typer(
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
