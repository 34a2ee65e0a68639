"""Domain errors. Every message is Chinese and names the row or field at fault.

Pages catch `DashboardError` and show `.message`; nothing else should reach a screen.
"""
from __future__ import annotations


class DashboardError(Exception):
    """Base class; `message` is safe to show to a user."""

    def __init__(self, message: str, *, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = list(details or [])


class DatabaseUnavailable(DashboardError):
    """The configured database cannot be reached or is not initialised."""


class ValidationError(DashboardError):
    """Input was rejected; `details` lists one Chinese line per bad row/field."""


class PermissionDenied(DashboardError):
    """The current user may not perform this write."""


class NotFound(DashboardError):
    """A referenced community, facility, household or feature does not exist."""


class GeometryError(ValidationError):
    """A geometry file or layer failed validation (CRS, validity, extent, names)."""


class CrsMismatch(GeometryError):
    """A geometry file's numbers fit another CRS or axis order; `suggestion` = {"crs": "EPSG:4526", "swap_axes": …}."""

    def __init__(self, message: str, *, details: list[str] | None = None, suggestion: dict | None = None) -> None:
        super().__init__(message, details=details)
        self.suggestion = dict(suggestion or {})


class BackupError(DashboardError):
    """A backup or restore could not be made or did not verify."""
