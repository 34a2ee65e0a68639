"""TCP_NODELAY for the Streamlit server's connections (Linux).

Streamlit 1.67 binds its listening socket itself with protocol 0; asyncio sets TCP_NODELAY only on sockets
whose protocol is IPPROTO_TCP, so the server's connections keep Nagle's algorithm, and a run's many small
messages wait on the peer's delayed ACK: ~40 ms a rerun measured at the protocol level (36 → 8 ms p50), and
nginx in front of the replicas is such a peer. Connections accepted from a listening socket inherit the
option, so setting it once on the listener after the bind is enough (serve.py, bench/floor_serve.py).
"""
from __future__ import annotations

import os
import socket


def no_nagle_on_listeners() -> int:
    """Set TCP_NODELAY on every listening TCP socket of this process; how many were set (0 without /proc)."""
    try:
        fds = [int(n) for n in os.listdir("/proc/self/fd")]
    except OSError:  # not Linux: leave the sockets as they are
        return 0
    done = 0
    for fd in fds:
        try:
            dup = os.dup(fd)
        except OSError:  # closed meanwhile (the listing's own descriptor)
            continue
        try:
            sock = socket.socket(fileno=dup)
        except OSError:  # not a socket
            os.close(dup)
            continue
        try:
            if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM \
                    and sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                done += 1
        except OSError:
            pass
        finally:
            sock.close()  # the duplicate; the listener itself stays open
    return done
