"""``/docs`` and ``/redoc`` keep to the server: a content security policy on those two pages.

Why: their scripts and styles are the app's own (fastapi-offline's files, ``DOCS_ASSETS``), but
ReDoc still draws its "powered by" logo from cdn.redoc.ly. Offline that is a broken image; online
it tells a third party who reads the docs. The policy lets images and requests go to this server
only (and ``data:``/``blob:`` URLs), so the browser never asks another host. Scripts and styles
are left alone: both pages start from inline scripts.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

DOCS_PATHS = frozenset({"/docs", "/redoc"})
POLICY = b"img-src 'self' data: blob:; connect-src 'self'; font-src 'self' data:"


class DocsPolicy:
    """Adds ``Content-Security-Policy`` to the answers of ``DOCS_PATHS``; other paths pass untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in DOCS_PATHS:
            await self.app(scope, receive, send)
            return

        async def with_policy(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"content-security-policy", POLICY)]
            await send(message)

        await self.app(scope, receive, with_policy)
