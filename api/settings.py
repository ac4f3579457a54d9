"""API settings from the environment (pydantic-settings), one class so every knob is documented.

- ``PLANGRAPH_API_TOKEN``: token that ``POST /plans`` requires; loading over HTTP is off without it.
- ``PLANGRAPH_MAX_UPLOAD_BYTES``: largest plan file accepted (default 10 MB).
- ``PLANGRAPH_PARSE_TIMEOUT``: seconds a plan may take to parse before the upload is refused.
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
    cors_origins: str = ""
    prewarm: bool = True

    def origins(self) -> list[str]:
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]

    def token(self) -> str | None:
        value = self.api_token.get_secret_value() if self.api_token else ""
        return value or None
