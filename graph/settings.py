"""Where the graph lives, read from the environment (pydantic-settings).

One place for every store setting, so the CLI, the API and the tests agree on names:

- ``PLANGRAPH_STORE``: ``embedded`` (default) or ``neo4j``;
- ``PLANGRAPH_DB``: the embedded store's file (default ``./plangraph-data/graph.bin`` under the
  working directory);
- ``NEO4J_URI``, ``NEO4J_USER``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``: the Neo4j server; with no
  password the driver connects without authentication;
- ``NEO4J_BATCH_SIZE``: rows per ``UNWIND`` batch, ``NEO4J_PLANS_PER_TX``: plans per transaction in
  a bulk load; ``NEO4J_MAX_BATCH_BYTES``: also cut batches at about this many bytes of JSON (for
  Bolt servers with small message buffers; unset for Neo4j).

Example:
    >>> StoreSettings(plangraph_db="x/graph.bin").plangraph_db.name
    'graph.bin'
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

StoreKind = Literal["embedded", "neo4j"]
DEFAULT_DB = Path("plangraph-data") / "graph.bin"


class StoreSettings(BaseSettings):
    """Which store, and where the embedded one keeps its file."""

    model_config = SettingsConfigDict(extra="ignore")

    plangraph_store: StoreKind = "embedded"
    plangraph_db: Path = DEFAULT_DB

    def db_path(self, override: Path | str | None = None) -> Path:
        """The embedded store's file, absolute, relative paths taken from the working directory."""
        return Path(override or self.plangraph_db).expanduser().absolute()


class Neo4jSettings(BaseSettings):
    """The Neo4j server: ``NEO4J_URI``, ``NEO4J_USER``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``."""

    model_config = SettingsConfigDict(env_prefix="NEO4J_", extra="ignore")

    uri: str = "bolt://localhost:7687"
    user: str = "neo4j"
    password: SecretStr | None = None
    database: str | None = None
    batch_size: int = 10_000
    plans_per_tx: int = 50
    max_batch_bytes: int | None = None

    def auth(self) -> tuple[str, str] | None:
        """Basic auth when a password is set, else none (a server without authentication)."""
        if self.password is None or not self.password.get_secret_value():
            return None
        return (self.user, self.password.get_secret_value())
