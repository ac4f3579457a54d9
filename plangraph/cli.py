"""The ``plangraph`` command line: one Typer app, one module per command group.

Each module in ``plangraph/commands/`` registers its commands on ``app`` when imported, so a new
command is a new module plus one line in ``COMMAND_MODULES``.
"""

import sys
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
    "check",
    "import_legacy",
    "serve",
    "query",
    "agencies",
    "overlap",
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
