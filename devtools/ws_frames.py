"""Buffered reading of a server's websocket frames (RFC 6455 §5.2) for devtools/st_client.py.

websocket-client (which still opens the connection and sends) reads each frame with two or more `recv` calls
of a few bytes (header, length, payload); a rerun's 15-35 small messages then cost the load client more CPU
than anything else it does (profiled under Locust). `FrameReader` reads up to 256 kB a call and cuts every
complete frame out of its buffer. Server frames are never masked; fragmented messages are joined; a ping is
answered (uvicorn closes a connection whose pings go unanswered); a close frame ends the stream.
"""
from __future__ import annotations

import socket
from collections.abc import Callable

CONT, TEXT, BINARY, CLOSE, PING, PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA
CHUNK = 1 << 18


class FrameError(ConnectionError):
    """The peer closed the connection (a close frame or end of stream) or sent what this reader does not take."""


class FrameReader:
    """Whole messages (bytes) from `sock`; `pong(payload)` answers the server's pings."""

    def __init__(self, sock: socket.socket, pong: Callable[[bytes], object], *, buffered: bytes = b"") -> None:
        self.sock, self.pong = sock, pong
        self.buf = bytearray(buffered)
        self.pos = 0
        self.parts: list[bytes] = []

    def _frame(self) -> tuple[int, bool, bytes] | None:
        """(opcode, fin, payload) of the next complete frame in the buffer, or None when it is incomplete."""
        buf, pos = self.buf, self.pos
        if len(buf) - pos < 2:
            return None
        b1, b2 = buf[pos], buf[pos + 1]
        if b2 & 0x80:
            raise FrameError("masked frame from the server")
        length, head = b2 & 0x7F, 2
        if length == 126:
            if len(buf) - pos < 4:
                return None
            length, head = int.from_bytes(buf[pos + 2:pos + 4], "big"), 4
        elif length == 127:
            if len(buf) - pos < 10:
                return None
            length, head = int.from_bytes(buf[pos + 2:pos + 10], "big"), 10
        end = pos + head + length
        if end > len(buf):
            return None
        self.pos = end
        return b1 & 0x0F, bool(b1 & 0x80), bytes(buf[pos + head:end])

    def _fill(self) -> None:
        if self.pos:
            del self.buf[:self.pos]
            self.pos = 0
        data = self.sock.recv(CHUNK)  # the socket's timeout applies (socket.timeout / TimeoutError)
        if not data:
            raise FrameError("socket closed")
        self.buf += data

    def recv(self) -> bytes:
        """The next data message's payload; pings are answered on the way."""
        while True:
            frame = self._frame()
            if frame is None:
                self._fill()
                continue
            opcode, fin, payload = frame
            if opcode == PING:
                self.pong(payload)
            elif opcode == CLOSE:
                raise FrameError("close frame")
            elif opcode in (TEXT, BINARY, CONT):
                self.parts.append(payload)
                if fin:
                    message = self.parts[0] if len(self.parts) == 1 else b"".join(self.parts)
                    self.parts = []
                    return message
            elif opcode != PONG:
                raise FrameError(f"unknown opcode {opcode}")
