"""Uploads: refused before their body is read when they may not be loaded, or when it trickles.

- ``UploadGuard`` (ASGI middleware on ``POST /plans``): the multipart body of an upload is read
  (and spooled to disk) before any route code runs, so the token (403 when loading is off, 401 for
  a wrong one) and the declared ``Content-Length`` (413) are checked first, and the bytes actually
  received are counted (413 past the limit, chunked bodies too). The route checks the file's own
  size again and names the file in its 413. A body that pauses longer than
  ``PLANGRAPH_BODY_TIMEOUT`` between two pieces is answered 408.
- ``check_token``: the ``Bearer`` scheme, matched without regard to case (RFC 9110 11.1); a bare
  token is refused.

The file is parsed in a worker process (``api/parser_pool.py``).
"""

from __future__ import annotations

import hmac
from typing import Any

import anyio
from fastapi import HTTPException, status
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .settings import ApiSettings

#: Room for the multipart framing (boundaries, part headers) around the file itself; a body past
#: ``max_upload_bytes`` plus this is refused while it arrives, without being read to its end.
MULTIPART_SLACK = 1024 * 1024
UPLOAD_PATH = "/plans"


def check_token(configured: str | None, given: str | None) -> None:
    """403 when loading over HTTP is off (no token configured), 401 unless ``given`` is the token."""
    if configured is None:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "loading over HTTP is off: no PLANGRAPH_API_TOKEN is configured")
    scheme, _, token = (given or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), configured.encode()):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "a valid token is required: Authorization: Bearer <token>",
                            headers={"WWW-Authenticate": "Bearer"})


class UploadGuard:
    """Refuses an upload before reading its body: no token, wrong token, or too large."""

    def __init__(self, app: ASGIApp, settings: ApiSettings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"].rstrip("/") != UPLOAD_PATH:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        limit = self.settings.max_upload_bytes + MULTIPART_SLACK
        try:
            check_token(self.settings.token(), headers.get("authorization"))
            declared = headers.get("content-length")
            if declared is not None and declared.strip().isdigit() and int(declared) > limit:
                raise _too_large(self.settings.max_upload_bytes)
        except HTTPException as exc:
            await _refuse(exc, scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            with anyio.move_on_after(self.settings.body_timeout) as waited:
                message = await receive()
            if waited.cancelled_caught:  # raised inside the body parser; FastAPI answers it
                raise HTTPException(status.HTTP_408_REQUEST_TIMEOUT,
                                    f"the upload's body paused longer than {self.settings.body_timeout:g} s, "
                                    "the limit PLANGRAPH_BODY_TIMEOUT", headers={"Connection": "close"})
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:  # raised inside the body parser; FastAPI answers it
                    raise _too_large(self.settings.max_upload_bytes)
            return message

        await self.app(scope, counted, send)


def _too_large(limit: int) -> HTTPException:
    return HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, f"upload larger than the limit of {limit} bytes")


async def _refuse(exc: HTTPException, scope: Scope, receive: Receive, send: Send) -> None:
    extra: dict[str, Any] = dict(exc.headers or {})
    response = JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=extra | {"Connection": "close"})
    await response(scope, receive, send)
