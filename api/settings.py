"""API settings from the environment (pydantic-settings), one class so every knob is documented.

- ``PLANGRAPH_API_TOKEN``: token that ``POST /plans`` requires; loading over HTTP is off without it.
- ``PLANGRAPH_MAX_UPLOAD_BYTES``: largest plan file accepted (default 10 MB).
- ``PLANGRAPH_PARSE_TIMEOUT``: seconds a plan may take to parse before the upload is refused (422
  naming the limit; the parse runs in a worker process, killed at the limit: ``api/parser_pool.py``).
- ``PLANGRAPH_PARSE_MEMORY_MB``: address space one parse worker may use (``RLIMIT_AS``; default
  1536, 0 for no cap); a parse that reaches it is refused with 422 naming the limit.
- ``PLANGRAPH_PARSE_WORKERS``: uploads parsed at once per server process (default 2); one worker
  process is kept started and ready.
- ``PLANGRAPH_BODY_TIMEOUT``: seconds an upload's body may pause between two pieces (default 30);
  408 past it, so that a client trickling its body does not hold a connection and a thread.
- ``PLANGRAPH_CORS_ORIGINS``: comma-separated origins allowed by CORS; none by default (closed).
- ``PLANGRAPH_PREWARM``: have the store's themes computed and kept at start-up, in the background,
  when they are not kept already (default on), so that no first question about themes waits.

What another process writes to the embedded store (another worker, ``plangraph load``) is
served by the next question: every question reads the store file (SQLite), nothing to follow.
"""

from __future__ import annotations

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class ApiSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PLANGRAPH_", extra="ignore")

    api_token: SecretStr | None = None
    max_upload_bytes: int = 10 * 1024 * 1024
    parse_timeout: float = 30.0
    parse_memory_mb: int = 1536
    parse_workers: int = 2
    body_timeout: float = 30.0
    cors_origins: str = ""
    prewarm: bool = True

    def origins(self) -> list[str]:
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]

    def token(self) -> str | None:
        value = self.api_token.get_secret_value() if self.api_token else ""
        return value or None


class ServerSettings(BaseSettings):
    """How ``plangraph serve`` bounds connections (uvicorn's settings, and the header guard of
    ``api/connections.py``), so that idle or slow clients cannot stop others being served.

    - ``PLANGRAPH_HEADER_TIMEOUT``: seconds a connection may take to send a request's headers
      (from connecting, or from the first byte of a later request on it); then it is closed (10).
    - ``PLANGRAPH_MAX_HEADER_BYTES``: the largest request head (request line and headers) taken;
      past it the answer is 431 and the connection is closed (65536).
    - ``PLANGRAPH_KEEP_ALIVE``: seconds an idle keep-alive connection is kept between requests (5).
    - ``PLANGRAPH_LIMIT_CONCURRENCY``: connections (or requests under way) per server process past
      which new requests get 503 at once (4000; 0 for none). The open-files limit is raised
      to its hard limit at start-up so that it is never the one reached first.
    - ``PLANGRAPH_BACKLOG``: connections the kernel queues before the server accepts them (2048).
    - ``PLANGRAPH_GRACEFUL_SHUTDOWN``: seconds requests under way get to finish after SIGTERM;
      then they are cut and the server exits (5).
    """

    model_config = SettingsConfigDict(env_prefix="PLANGRAPH_", extra="ignore")

    header_timeout: float = 10.0
    max_header_bytes: int = 65536
    keep_alive: int = 5
    limit_concurrency: int = 4000
    backlog: int = 2048
    graceful_shutdown: int = 5
