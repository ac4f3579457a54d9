"""Queries: one function per question users bring, written against ``GraphStore`` only.

So the same question gives the same answer on the embedded store and on Neo4j.
"""

from .agencies import agency_detail, collaboration, get_agency, list_agencies
from .compare import compare
from .errors import NotFound
from .jurisdictions import list_jurisdictions, profile
from .names import NameCatalog, resolve_agencies, resolve_jurisdiction
from .tasks import task_detail, tasks_for

__all__ = [
    "NameCatalog", "NotFound", "agency_detail", "collaboration", "compare", "get_agency",
    "list_agencies", "list_jurisdictions", "profile", "resolve_agencies", "resolve_jurisdiction",
    "task_detail", "tasks_for",
]
