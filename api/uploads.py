"""Uploads: refused before their body is read when they may not be loaded, parsed with a time limit.

- ``UploadGuard`` (ASGI middleware on ``POST /plans``): the multipart body of an upload is read
  (and spooled to disk) before any route code runs, so the token (403 when loading is off, 401 for
  a wrong one) and the declared ``Content-Length`` (413) are checked first, and the bytes actually
  received are counted (413 past the limit, chunked bodies too). The route checks the file's own
  size again and names the file in its 413.
- ``parse_with_limit``: a thread cannot be stopped, so a pathological file would hold a worker
  forever; a forked child is killed when the limit passes and the request gets a clear 422.
"""

from __future__ import annotations

import hmac
import multiprocessing as mp
from typing import Any

from fastapi import HTTPException, status
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from plangraph.graph.model import Plan
from plangraph.loaders import PlanError, parse_bytes

from .settings import ApiSettings

#: Room for the multipart framing (boundaries, part headers) around the file itself; a body past
#: ``max_upload_bytes`` plus this is refused while it arrives, without being read to its end.
MULTIPART_SLACK = 1024 * 1024
UPLOAD_PATH = "/plans"


class ParseTimeout(PlanError):
    pass


def _parse(data: bytes, name: str) -> Plan | str:
    try:
        return parse_bytes(data, name)
    except PlanError as exc:
        return str(exc)


def parse_with_limit(data: bytes, name: str, seconds: float) -> Plan:
    """The plan, or PlanError (including a timeout) naming the file and the reason."""
    ctx = mp.get_context("fork")
    with ctx.Pool(1) as pool:
        pending = pool.apply_async(_parse, (data, name))
        try:
            result = pending.get(timeout=seconds)
        except mp.TimeoutError:
            pool.terminate()
            raise ParseTimeout(name, f"parsing took longer than {seconds:g} s; refused") from None
    if isinstance(result, str):
        raise PlanError(name, result.removeprefix(f"{name}: "))
    return result


def check_token(configured: str | None, given: str | None) -> None:
    """403 when loading over HTTP is off (no token configured), 401 unless ``given`` is the token."""
    if configured is None:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "loading over HTTP is off: no PLANGRAPH_API_TOKEN is configured")
    token = (given or "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(token.encode(), configured.encode()):
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
            message = await receive()
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
