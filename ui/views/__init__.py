"""Per-scope page views kept per data version (see ui/kept.py)."""
