"""``python -m plangraph``: the same as the ``plangraph`` command."""

from plangraph.cli import app

app(prog_name="plangraph")
