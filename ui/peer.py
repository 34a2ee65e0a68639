"""Who is on the other end of a connection: one rule for the sign-in lockout (ui/session_routes.py,
ui/bridge/access.py) and the /metrics allow-list (ui/metrics.py)."""
from __future__ import annotations

import ipaddress
from typing import Callable

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def address(host: str | None) -> Address | None:
    """The peer's address, an IPv4 peer seen by a dual-stack socket (bound to "::", as `make run`:
    ::ffff:127.0.0.1) as IPv4; None when `host` is not an address."""
    try:
        addr = ipaddress.ip_address((host or "").split("%")[0])
    except ValueError:
        return None
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        return addr.ipv4_mapped
    return addr


def lockout_client(peer: str | None, header: Callable[[str], str]) -> str | None:
    """The client address the sign-in lockout counts. A direct peer's own address wins (its headers could be
    forged); a peer on this host is the reverse proxy (deploy/), whose X-Real-IP / X-Forwarded-For (last hop)
    name the client."""
    addr = address(peer)
    if peer and peer != "localhost" and not (addr is not None and addr.is_loopback):
        return peer[:64]
    forwarded = header("x-forwarded-for").split(",")[-1].strip()
    return (header("x-real-ip") or forwarded or peer or "").strip()[:64] or None
