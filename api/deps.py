"""Dependencies of the routes, as ``Annotated`` aliases (one store and catalogue per app)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from plangraph.graph.store import GraphStore
from plangraph.queries import NameCatalog

from .settings import ApiSettings


def get_store(request: Request) -> GraphStore:
    return request.app.state.store


def get_catalog(request: Request) -> NameCatalog:
    return request.app.state.catalog


def get_settings(request: Request) -> ApiSettings:
    return request.app.state.settings


StoreDep = Annotated[GraphStore, Depends(get_store)]
CatalogDep = Annotated[NameCatalog, Depends(get_catalog)]
SettingsDep = Annotated[ApiSettings, Depends(get_settings)]
