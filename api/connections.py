"""The HTTP protocol ``plangraph serve`` runs: uvicorn's (httptools), with a time limit on headers.

Why: uvicorn closes a keep-alive connection idle between requests (``timeout_keep_alive``) but
arms no timer on a new connection, nor while a request's headers arrive. A client that connects
and says nothing, or sends its headers a byte at a time, held its socket for ever, and about a
thousand of them used up the server's open files: nobody else was answered. Here a connection
must have sent a whole request head within ``PLANGRAPH_HEADER_TIMEOUT`` seconds of connecting (or
of the first byte of a later request on it), or it is closed; and a head may not pass
``PLANGRAPH_MAX_HEADER_BYTES`` (httptools gathers a header's value without a limit, so in those
seconds a fast client could have sent gigabytes): 431, and the connection is closed.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from .settings import ServerSettings


HEAD_TOO_LARGE = (b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: text/plain; charset=utf-8\r\n"
                  b"content-length: 32\r\nconnection: close\r\n\r\nrequest head over the size limit")


class HeaderTimeoutProtocol(HttpToolsProtocol):
    """``HttpToolsProtocol`` that closes a connection whose request head is not in on time."""

    header_timeout: float = ServerSettings().header_timeout
    max_header_bytes: int = ServerSettings().max_header_bytes

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_timer: asyncio.TimerHandle | None = None
        self._head_bytes = 0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_header_timer()

    def data_received(self, data: bytes) -> None:
        in_head = self._header_timer is not None
        super().data_received(data)
        if in_head and self._header_timer is not None:  # the head is still coming
            self._head_bytes += len(data)
            if self._head_bytes > self.max_header_bytes and not self.transport.is_closing():
                self._disarm_header_timer()
                self.transport.write(HEAD_TOO_LARGE)
                self.transport.close()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._head_bytes = 0
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
