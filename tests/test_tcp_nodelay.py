"""deploy/tcp.py: the server's connections send without Nagle's delay (issue #15). Streamlit binds its socket with
protocol 0, so asyncio leaves Nagle on and each run's small messages waited on the peer's delayed ACK."""
from __future__ import annotations

import socket
import sys

import pytest
from child_python import last_line

from deploy import tcp

NODELAY = (socket.IPPROTO_TCP, socket.TCP_NODELAY)

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd")


def _listener() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 0)  # protocol 0, as Streamlit binds it
    sock.bind(("127.0.0.1", 0))
    sock.listen(4)
    return sock


def test_accepted_connections_inherit_nodelay_from_the_listener():
    listener, idle = _listener(), socket.socket()  # `idle`: a TCP socket that does not listen is left alone
    try:
        assert listener.getsockopt(*NODELAY) == 0
        assert tcp.no_nagle_on_listeners() >= 1
        assert listener.getsockopt(*NODELAY) == 1 and idle.getsockopt(*NODELAY) == 0
        with socket.create_connection(listener.getsockname()):
            accepted, _ = listener.accept()
            with accepted:
                assert accepted.getsockopt(*NODELAY) == 1
        listener.getsockname()  # the listener itself is still open (only duplicates were closed)
    finally:
        listener.close()
        idle.close()


def test_the_asgi_entry_sets_it_on_import():
    """`streamlit run serve.py` imports serve.py after binding its socket: importing it sets the option."""
    code = ("import socket; l = socket.socket(); l.bind(('127.0.0.1', 0)); l.listen(1); import serve; "
            "c = socket.create_connection(l.getsockname()); a, _ = l.accept(); "
            "print(a.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))")
    assert last_line(code) == "1"
