"""Loaders: plan files (.txt .docx .doc .wps .pdf .ofd .html, scans) -> ``plangraph.graph.model.Plan``.

Example:
    >>> from plangraph.loaders import parse_file          # doctest: +SKIP
    >>> plan = parse_file("../shared/seeds/004_876b92d28cdb3756.txt")  # doctest: +SKIP
    >>> plan.jurisdiction.name                             # doctest: +SKIP
    '丰都县'
"""

from .detect import readable_suffixes
from .errors import PlanError, ReadError
from .plan import parse_bytes, parse_file, parse_pages, parse_source
from .plan_files import plan_files

__all__ = ["PlanError", "ReadError", "parse_bytes", "parse_file", "parse_pages", "parse_source", "plan_files", "readable_suffixes"]
