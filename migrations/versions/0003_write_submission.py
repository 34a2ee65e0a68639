"""write_submission: one row per claimed submission key, so a repeated submission stores nothing;
household_event: each step once per household

A form's token, a ledger's preview key and a key derived from each write's content (and the row it
supersedes) are inserted here in the write's transaction; the primary key turns a double submission on
two connections into one stored row (lib.writes.base).

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "write_submission",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index("uq_household_event_step", "household_event", ["household_id", "status"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_household_event_step", table_name="household_event")
    op.drop_table("write_submission")
