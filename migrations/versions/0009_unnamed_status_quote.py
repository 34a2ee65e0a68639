"""The six 「未命名」 示范社区 statuses cite the article's naming sentence and say how they are dated

The seed stored them as reported with no words and the bare note 「报道未提及该社区的示范社区创建情况」, so a card read
「未命名 · 报道 · 2023年1月1日」 with nothing behind it. They now quote the sentence naming the four communities (the six
are not among them) and the note states the date convention, as the 创建中 rows' notes do (data/model_status.csv).

A live database is not re-seeded, so this step changes the seeded rows; a row an administrator changed since is left
alone (the UPDATE matches the old note and an empty quote).

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

OLD_NOTE = "报道未提及该社区的示范社区创建情况"
NEW_NOTE = ("报道未提及该社区的示范社区创建情况；“未命名”指不在报道所列2023年9月23日命名的4个社区之中；"
            "起始日期报道未载明，按2023年1月1日记")
NEW_QUOTE = "2023年9月23日，该街道中兴、大官庄、西华、工业路等4个社区，被南阳市创建全国文明城市工作指挥部命名为示范社区"


def upgrade() -> None:
    op.execute(sa.text("UPDATE model_status SET note = :note, quote = :quote WHERE status = '未命名' AND note = :old"
                       " AND quote IS NULL AND recorded_by = 'seed'")
               .bindparams(note=NEW_NOTE, quote=NEW_QUOTE, old=OLD_NOTE))


def downgrade() -> None:
    op.execute(sa.text("UPDATE model_status SET note = :old, quote = NULL WHERE status = '未命名' AND note = :note"
                       " AND quote = :quote AND recorded_by = 'seed'")
               .bindparams(note=NEW_NOTE, quote=NEW_QUOTE, old=OLD_NOTE))
