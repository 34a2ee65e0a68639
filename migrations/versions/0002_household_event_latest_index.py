"""household indexes for district-size relocation data

household_event: ix_household_event_key (household_id, valid_from) becomes (household_id,
valid_from, recorded_at, id), so the step that holds on a date is one backward index seek per
household. household: (code) and (community_id, code), so a page of the household list is read
in code order and stops after the page (bench/ scale figures).

Revision ID: 0002
Revises: 0001
"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_household_event_latest", "household_event",
                    ["household_id", "valid_from", "recorded_at", "id"], unique=False)
    op.drop_index("ix_household_event_key", table_name="household_event")
    op.create_index("ix_household_code", "household", ["code"], unique=False)
    op.create_index("ix_household_community_code", "household", ["community_id", "code"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_household_community_code", table_name="household")
    op.drop_index("ix_household_code", table_name="household")
    op.create_index("ix_household_event_key", "household_event", ["household_id", "valid_from"], unique=False)
    op.drop_index("ix_household_event_latest", table_name="household_event")
