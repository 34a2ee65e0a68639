"""community.side_source_id / side_quote: the basis of a community's side of the railway; model_status.quote

The article places only 榆树庄 (「作为铁路以西创建先行先试区」); the other ten sides come from the schematic
map. A 示范社区 status from the article carries the article's words (data/model_status.csv had them; the seed
dropped them). A live database is not re-seeded, so this step fills both for the rows the seed wrote, and
brings two seeded texts in line with the article: 「10天内完成了78户涉迁户的工作」 is at most 10 days (qualifier 内),
and two milestones whose month the article does not give say so.

Revision ID: 0007
Revises: 0006
"""
import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

PILOT = "选定榆树庄社区作为突破口，借助南阳市城管局联建力量，作为铁路以西创建先行先试区"
L_SHAPE = "将大官庄—中兴—工业路—西华社区串联成“L”形进行连片打造"
NAMED = "2023年9月23日，该街道中兴、大官庄、西华、工业路等4个社区，被南阳市创建全国文明城市工作指挥部命名为示范社区"
# (community, status, valid_from, quote): the seeded article statuses as data/model_status.csv gives them
STATUS_QUOTES = [*((c, "创建中", "2023-01-01", L_SHAPE) for c in ("大官庄", "中兴", "工业路", "西华")),
                 ("榆树庄", "先行先试", "2023-01-01", PILOT),
                 *((c, "已命名示范社区", "2023-09-23", NAMED) for c in ("中兴", "大官庄", "西华", "工业路"))]


INFERRED = "（报道未载明日期，按指挥部成立的2023年11月记）"
UNDATED_MILESTONES = ("北延专班入驻现场", "群众座谈会与征求意见")


def upgrade() -> None:
    # plain ADD COLUMN (its REFERENCES inline on SQLite): a batch "move and copy" of community would have to drop
    # a table every other table references, which a live SQLite database with foreign keys on refuses
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE community ADD COLUMN side_source_id INTEGER REFERENCES source (id)")
    else:
        op.add_column("community", sa.Column("side_source_id", sa.Integer(), nullable=True))
        op.create_foreign_key("fk_community_side_source", "community", "source", ["side_source_id"], ["id"])
    op.add_column("community", sa.Column("side_quote", sa.Text(), nullable=True))
    op.add_column("model_status", sa.Column("quote", sa.Text(), nullable=True))
    source = "(SELECT id FROM source WHERE key = :key)"
    op.execute(sa.text(f"UPDATE community SET side_source_id = {source} WHERE name <> '榆树庄'")
               .bindparams(key="schematic"))
    op.execute(sa.text(f"UPDATE community SET side_source_id = {source}, side_quote = :quote WHERE name = '榆树庄'")
               .bindparams(key="article", quote=PILOT))
    for community, status, day, quote in STATUS_QUOTES:
        op.execute(sa.text(
            f"UPDATE model_status SET quote = :quote WHERE recorded_by = 'seed' AND source_id = {source}"
            " AND status = :status AND valid_from = :day"
            " AND community_id = (SELECT id FROM community WHERE name = :community)")
            .bindparams(sa.bindparam("day", dt.date.fromisoformat(day), type_=sa.Date()), quote=quote,
                        key="article", status=status, community=community))
    op.execute(sa.text(f"UPDATE fact SET qualifier = '内' WHERE indicator = 'work_days' AND qualifier = ''"
                       f" AND recorded_by = 'seed' AND source_id = {source}").bindparams(key="article"))
    for title in UNDATED_MILESTONES:
        op.execute(sa.text(f"UPDATE project_milestone SET detail = detail || :note WHERE title = :title"
                           f" AND source_id = {source} AND detail NOT LIKE :seen")
                   .bindparams(note=INFERRED, title=title, key="article", seen=f"%{INFERRED}"))


def downgrade() -> None:
    """On SQLite, run with foreign keys off (PRAGMA foreign_keys=OFF before the transaction): dropping a column
    that references another table copies community, which every other table references."""
    with op.batch_alter_table("model_status") as batch:
        batch.drop_column("quote")
    with op.batch_alter_table("community") as batch:
        if op.get_bind().dialect.name != "sqlite":
            batch.drop_constraint("fk_community_side_source", type_="foreignkey")
        batch.drop_column("side_quote")
        batch.drop_column("side_source_id")
