"""Command modules of the ``plangraph`` CLI; each registers on ``plangraph.cli.app``."""
