"""Loaders: plan files (.txt .docx .pdf .html) -> ``plangraph.graph.model.Plan``.

Example:
    >>> from plangraph.loaders import parse_file          # doctest: +SKIP
    >>> plan = parse_file("../shared/seeds/004_876b92d28cdb3756.txt")  # doctest: +SKIP
    >>> plan.jurisdiction.name                             # doctest: +SKIP
    '丰都县'
"""

from .errors import PlanError, ReadError
from .plan import parse_bytes, parse_file, parse_source
from .read import readable_suffixes

__all__ = ["PlanError", "ReadError", "parse_bytes", "parse_file", "parse_source", "readable_suffixes"]
