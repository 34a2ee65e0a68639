"""Writes: the staff forms reach lib only through here.

Writes re-check permissions and validate in lib; the form callbacks (ui/forms.py) clear the caches after each one
and show the outcome with ui/flash.py."""
from __future__ import annotations

from lib import form_options
from lib.writes import (
    WriteResult,
    file_site_check,
    local_today,
    record_fact,
    record_household_step,
    record_model_status,
    record_occupancy,
    record_star_assessment,
    update_site_check,
)

__all__ = ["WriteResult", "file_site_check", "form_options", "local_today", "record_fact", "record_household_step",
           "record_model_status", "record_occupancy", "record_star_assessment", "update_site_check"]
