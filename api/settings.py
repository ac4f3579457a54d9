"""API settings from the environment (pydantic-settings), one class so every knob is documented.

- ``PLANGRAPH_API_TOKEN``: token that ``POST /plans`` requires; loading over HTTP is off without it.
- ``PLANGRAPH_MAX_UPLOAD_BYTES``: largest plan file accepted (default 10 MB).
- ``PLANGRAPH_PARSE_TIMEOUT``: seconds a plan may take to parse before the upload is refused.
- ``PLANGRAPH_CORS_ORIGINS``: comma-separated origins allowed by CORS; none by default (closed).
- ``PLANGRAPH_FOLLOW_SECONDS``: how often the API looks whether another process (another worker,
  ``plangraph load``) wrote the embedded store's file, to serve what it wrote (0: never).
- ``PLANGRAPH_PREWARM``: make every plan's rows, divisions of work and theme sides at start-up
  (default on; a national graph: about 15 s of CPU in the background and 1.5 GB more per server
  process), so that the first question about a place is as fast as the next.
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
    follow_seconds: float = 2.0
    prewarm: bool = True

    def origins(self) -> list[str]:
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]

    def token(self) -> str | None:
        value = self.api_token.get_secret_value() if self.api_token else ""
        return value or None
