"""devtools/ws_frames.FrameReader over a real socket pair: frames split anywhere, every length form, fragmented
messages, pings answered, close and end of stream reported."""
from __future__ import annotations

import socket
import threading

import pytest

from devtools.ws_frames import BINARY, CLOSE, CONT, PING, TEXT, FrameError, FrameReader


def frame(opcode: int, payload: bytes, *, fin: bool = True) -> bytes:
    n = len(payload)
    head = bytes([(0x80 if fin else 0) | opcode])
    if n < 126:
        head += bytes([n])
    elif n < 1 << 16:
        head += bytes([126]) + n.to_bytes(2, "big")
    else:
        head += bytes([127]) + n.to_bytes(8, "big")
    return head + payload


def read_all(wire: bytes, count: int, *, chunk: int, buffered: bytes = b"") -> tuple[list[bytes], list[bytes]]:
    """Send `wire` in pieces of `chunk` bytes from a thread; read `count` messages; return them and the pongs."""
    a, b = socket.socketpair()
    a.settimeout(5)
    pongs: list[bytes] = []

    def send() -> None:
        for i in range(0, len(wire), chunk):
            b.sendall(wire[i:i + chunk])

    t = threading.Thread(target=send)
    t.start()
    try:
        reader = FrameReader(a, pongs.append, buffered=buffered)
        got = [reader.recv() for _ in range(count)]
    finally:
        t.join()
        a.close()
        b.close()
    return got, pongs


BIG = bytes(range(256)) * 300  # 76.8 kB: a 16-bit length would not hold it
CASES = [
    # (name, wire, expected messages, expected pongs)
    ("short binary", frame(BINARY, b"abc"), [b"abc"], []),
    ("empty message", frame(BINARY, b""), [b""], []),
    ("16-bit length", frame(BINARY, b"x" * 300), [b"x" * 300], []),
    ("64-bit length", frame(BINARY, BIG), [BIG], []),
    ("text frame as bytes", frame(TEXT, "五星".encode()), ["五星".encode()], []),
    ("burst of three", frame(BINARY, b"1") + frame(BINARY, b"22") + frame(BINARY, b"333"), [b"1", b"22", b"333"], []),
    ("fragmented", frame(BINARY, b"ab", fin=False) + frame(CONT, b"cd", fin=False) + frame(CONT, b"e"),
     [b"abcde"], []),
    ("ping answered between messages", frame(BINARY, b"a") + frame(PING, b"hi") + frame(BINARY, b"b"),
     [b"a", b"b"], [b"hi"]),
]


@pytest.mark.parametrize("chunk", [1, 3, 1 << 20], ids=["byte by byte", "3 bytes", "all at once"])
@pytest.mark.parametrize(("name", "wire", "messages", "pongs"), CASES, ids=[c[0] for c in CASES])
def test_messages_come_whole_however_the_stream_is_cut(name, wire, messages, pongs, chunk):
    got, answered = read_all(wire, len(messages), chunk=chunk)
    assert got == messages
    assert answered == pongs


def test_bytes_websocket_client_already_held_come_first():
    wire = frame(BINARY, b"first") + frame(BINARY, b"second")
    got, _ = read_all(wire[7:], 2, chunk=4, buffered=wire[:7])
    assert got == [b"first", b"second"]


@pytest.mark.parametrize(("wire", "says"), [
    (frame(CLOSE, b"\x03\xe8"), "close frame"),
    (b"", "socket closed"),
    (frame(BINARY, b"ab")[:3], "socket closed"),  # the peer hung up mid-frame
    (bytes([0x82, 0x81]) + b"mask" + b"a", "masked"),
    (frame(0x3, b"?"), "unknown opcode"),
])
def test_end_of_stream_and_protocol_errors_raise(wire, says):
    a, b = socket.socketpair()
    a.settimeout(5)
    try:
        b.sendall(wire)
        b.shutdown(socket.SHUT_WR)
        with pytest.raises(FrameError, match=says):
            FrameReader(a, lambda _p: None).recv()
    finally:
        a.close()
        b.close()


def test_a_silent_server_times_out():
    a, b = socket.socketpair()
    a.settimeout(0.2)
    try:
        with pytest.raises(TimeoutError):
            FrameReader(a, lambda _p: None).recv()
    finally:
        a.close()
        b.close()
