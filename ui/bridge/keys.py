"""Stable, namespaced widget keys. `community` and `as_of` double as URL query parameter names."""
from __future__ import annotations

KEYS = {
    "community": "community",
    "as_of": "as_of",
    "metric": "map.metric",
    "layers": "map.layers",
    "map": "map.deck",
    "compare": "kpi.compare_date",
    "actor": "auth.actor",
    "token": "auth.token",
    "signin_state": "auth.state",
}
