"""household.team: the 专班 group (1–3) working each household, with the source of that assignment

The article says only 「专班分为三个组」; the seed assigns demo households to groups deterministically
(source = the demo source), so the wall's unsigned-by-group figure is marked 示例 until staff record it.

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("household") as batch:
        batch.add_column(sa.Column("team", sa.SmallInteger(), nullable=True))
        batch.add_column(sa.Column("team_source_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_household_team_source", "source", ["team_source_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("household") as batch:
        batch.drop_constraint("fk_household_team_source", type_="foreignkey")
        batch.drop_column("team_source_id")
        batch.drop_column("team")
