"""Actions no key of ``graph/data/action_keys.yaml`` knows: reported, never dropped.

Why: a new generation of plans brings actions the keys do not line up yet (2026-2030: 低空经济,
…). The loader keeps each as "other:<title>" and warns; this lists them over the whole store, so
a curator sees which headings to add to the keys file (as ``/kinds/unknown`` does for agencies).
"""

from __future__ import annotations

from plangraph.graph.actions import is_other
from plangraph.graph.rows import ActionRow
from plangraph.graph.store import GraphStore


def unknown_actions(store: GraphStore) -> list[ActionRow]:
    """Every stored action whose key is "other:<title>", by jurisdiction, then document order."""
    return [a for j in store.jurisdictions() for a in store.actions(j.name) if is_other(a.key)]
