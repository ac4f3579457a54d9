"""The HTTP protocol ``plangraph serve`` runs: uvicorn's (httptools), with a time limit on headers.

Why: uvicorn closes a keep-alive connection idle between requests (``timeout_keep_alive``) but
arms no timer on a new connection, nor while a request's headers arrive. A client that connects
and says nothing, or sends its headers a byte at a time, held its socket for ever, and about a
thousand of them used up the server's open files: nobody else was answered. Here a connection
must have sent a whole request head within ``PLANGRAPH_HEADER_TIMEOUT`` seconds of connecting (or
of the first byte of a later request on it), or it is closed.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from .settings import ServerSettings


class HeaderTimeoutProtocol(HttpToolsProtocol):
    """``HttpToolsProtocol`` that closes a connection whose request head is not in on time."""

    header_timeout: float = ServerSettings().header_timeout

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_header_timer()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._header_timer is None:
            self._arm_header_timer()

    def on_headers_complete(self) -> None:
        self._disarm_header_timer()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_header_timer()
        super().connection_lost(exc)

    def _arm_header_timer(self) -> None:
        if self.header_timeout > 0:
            self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _disarm_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            self.transport.close()
