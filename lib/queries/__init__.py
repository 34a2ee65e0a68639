"""Read-only query functions, one per panel need.

Each takes explicit filters (`community`: a short name such as 中兴, or None for the whole
subdistrict; `as_of`: a date, or None for the latest state) and returns a DataFrame or a small
typed object. Every result says where each figure came from (`source_kind`, `is_demo`).
"""
