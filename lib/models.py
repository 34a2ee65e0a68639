"""SQLAlchemy 2.0 typed models: the one schema every page, form and import shares.

History is append-only. Tables that change over time carry `valid_from` (the date the value holds
from) and `recorded_at` (when it was written). The state on date D is, per key, the row with the
greatest `valid_from <= D`, ties broken by the latest `recorded_at`/id. Nothing is updated in place
except `SiteCheck.status` and `User` fields, and those writes leave an `AuditLog` row.
"""
from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

# Accounts, audit, idempotency keys, sign-in sessions, wall links and app settings live in lib/account_models.py;
# they are re-exported here, so `from lib.models import …` names every table and Base.metadata holds them all.
from lib.account_models import (  # noqa: F401 - re-exported
    AppSecret,
    AppSetting,
    AuditLog,
    DisplayLink,
    Role,
    User,
    UserSession,
    WriteSubmission,
)
from lib.model_base import Base, utcnow  # noqa: F401 - re-exported


class SourceKind(enum.StrEnum):
    ARTICLE = "article"  # the seed news article
    OFFICIAL = "official"  # an official document
    DEMO = "demo"  # 示例数据: generated, never official
    STAFF = "staff"  # entered by a signed-in user
    SURVEY = "survey"  # geometry imported by an administrator


SOURCE_KIND_LABELS = {
    SourceKind.ARTICLE: "新闻报道",
    SourceKind.OFFICIAL: "官方文件",
    SourceKind.DEMO: "示例数据",
    SourceKind.STAFF: "工作人员录入",
    SourceKind.SURVEY: "测绘/导入数据",
}


class Source(Base):
    __tablename__ = "source"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300))
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    publisher: Mapped[str | None] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(500))
    note: Mapped[str | None] = mapped_column(Text)

    @property
    def is_demo(self) -> bool:
        return self.kind == SourceKind.DEMO


class Community(Base):
    __tablename__ = "community"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)  # 中兴
    full_name: Mapped[str] = mapped_column(String(40))  # 中兴社区
    side: Mapped[str] = mapped_column(String(8))  # 铁路以东 / 铁路以西
    sort_order: Mapped[int] = mapped_column(Integer)
    # the side's basis: the article (榆树庄 only) or the schematic map (lib.railway_side)
    side_source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id"))
    side_quote: Mapped[str | None] = mapped_column(Text)


class Fact(Base):
    """One published or entered figure: subdistrict-, community- or facility-level."""

    __tablename__ = "fact"
    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(16))  # subdistrict / community / facility
    community_id: Mapped[int | None] = mapped_column(ForeignKey("community.id"))
    subject: Mapped[str] = mapped_column(String(64))  # 光武街道, 中兴社区, 星光大排档 …
    indicator: Mapped[str] = mapped_column(String(64))  # stable key, e.g. area_km2
    label: Mapped[str] = mapped_column(String(64))  # 辖区面积
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(16))
    qualifier: Mapped[str] = mapped_column(String(8), default="")  # 余 / 超过 / 约 / ""
    valid_from: Mapped[dt.date] = mapped_column(Date)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"))
    quote: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    recorded_by: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[Source] = relationship(lazy="joined")
    __table_args__ = (Index("ix_fact_key", "subject", "indicator", "valid_from"),)


class TextNote(Base):
    """A text fact (honour, measure, service) about a subject, with its quote."""

    __tablename__ = "text_note"
    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(64))
    community_id: Mapped[int | None] = mapped_column(ForeignKey("community.id"))
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"))
    quote: Mapped[str | None] = mapped_column(Text)


class Star(enum.StrEnum):
    BRANCH = "支部过硬星"
    SAFETY = "平安法治星"
    SHARING = "共建共享星"
    INDUSTRY = "工业兴业星"  # as written in the article
    HARMONY = "幸福和谐星"


class StarStatus(enum.StrEnum):
    DONE = "已达标"
    ACTIVE = "创建中"
    NOT_STARTED = "未启动"


class StarAssessment(Base):
    __tablename__ = "star_assessment"
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"))
    star: Mapped[str] = mapped_column(String(16))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(8))
    score: Mapped[float | None] = mapped_column(Float)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    recorded_by: Mapped[str | None] = mapped_column(String(64))
    __table_args__ = (Index("ix_star_key", "community_id", "star", "valid_from"),)


class ModelStatus(enum.StrEnum):
    NAMED = "已命名示范社区"
    PILOT = "先行先试"
    ACTIVE = "创建中"
    NOT_YET = "未命名"


class ModelCommunityStatus(Base):
    """示范社区 status history."""

    __tablename__ = "model_status"
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"))
    status: Mapped[str] = mapped_column(String(16))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    quote: Mapped[str | None] = mapped_column(Text)  # the article's words (reported statuses only)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    recorded_by: Mapped[str | None] = mapped_column(String(64))
    __table_args__ = (Index("ix_model_key", "community_id", "valid_from"),)


class RelocationProject(Base):
    __tablename__ = "relocation_project"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    total_households: Mapped[int] = mapped_column(Integer)
    started_on: Mapped[dt.date | None] = mapped_column(Date)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"))


class HouseholdStatus(enum.StrEnum):
    UNSIGNED = "未签约"
    SIGNED = "已签约"
    KEYS = "已交钥匙"
    DEMOLISHED = "已拆除"


HOUSEHOLD_LADDER = [s.value for s in HouseholdStatus]


class Household(Base):
    """A relocation household, known only by an anonymised code."""

    __tablename__ = "household"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("relocation_project.id"))
    code: Mapped[str] = mapped_column(String(32))
    community_id: Mapped[int | None] = mapped_column(ForeignKey("community.id"))
    floor_area_m2: Mapped[float | None] = mapped_column(Float)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"))
    # 「专班分为三个组」: the group (1–3) working this household. The article gives no split, so until staff
    # record it the seed assigns one deterministically, from the demo source (team_source_id says which).
    team: Mapped[int | None] = mapped_column(SmallInteger)
    team_source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id"))
    # The household list pages by code, for the whole district or one community (household_status).
    __table_args__ = (UniqueConstraint("project_id", "code"), Index("ix_household_code", "code"),
                      Index("ix_household_community_code", "community_id", "code"))


class HouseholdEvent(Base):
    """A step up the status ladder; the household's status on D is its latest step on or before D."""

    __tablename__ = "household_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"))
    status: Mapped[str] = mapped_column(String(8))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    demolished_area_m2: Mapped[float | None] = mapped_column(Float)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    recorded_by: Mapped[str | None] = mapped_column(String(64))
    # Serves "the step that holds on a date" per household (greatest valid_from, then newest record):
    # one backward index seek each (lib.queries.common.holding_id).
    # A household reaches each step once (the ladder is climbed one rung at a time): the natural key that
    # settles two different submissions of the same step racing on two connections.
    __table_args__ = (Index("ix_household_event_latest", "household_id", "valid_from", "recorded_at", "id"),
                      Index("uq_household_event_step", "household_id", "status", unique=True))


class ProjectMilestone(Base):
    __tablename__ = "project_milestone"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("relocation_project.id"))
    happened_on: Mapped[dt.date] = mapped_column(Date)
    date_precision: Mapped[str] = mapped_column(String(8), default="day")  # day / month
    title: Mapped[str] = mapped_column(String(120))
    detail: Mapped[str | None] = mapped_column(Text)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"))
    quote: Mapped[str | None] = mapped_column(Text)


class CareFacility(Base):
    __tablename__ = "care_facility"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    community_id: Mapped[int | None] = mapped_column(ForeignKey("community.id"))
    beds: Mapped[int | None] = mapped_column(Integer)
    floor_area_m2: Mapped[float | None] = mapped_column(Float)
    kind: Mapped[str] = mapped_column(String(32))
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"))


class CareOccupancy(Base):
    __tablename__ = "care_occupancy"
    id: Mapped[int] = mapped_column(primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("care_facility.id"))
    day: Mapped[dt.date] = mapped_column(Date)
    occupied: Mapped[int] = mapped_column(Integer)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    recorded_by: Mapped[str | None] = mapped_column(String(64))
    __table_args__ = (Index("ix_occupancy_key", "facility_id", "day"),)


class PartyOrgCount(Base):
    """Counts of party organisations by kind (联合党委, 网格联合党支部 …)."""

    __tablename__ = "party_org_count"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    community_id: Mapped[int | None] = mapped_column(ForeignKey("community.id"))
    count: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(8), default="个")
    valid_from: Mapped[dt.date] = mapped_column(Date)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"))
    quote: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class RedPropertyProject(Base):
    """红色物业 works in a residential compound."""

    __tablename__ = "red_property_project"
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"))
    compound: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(String(32))
    investment_yuan: Mapped[float | None] = mapped_column(Float)
    completed_on: Mapped[dt.date | None] = mapped_column(Date)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"))


class MapLayerVersion(Base):
    """One saved version of a map layer; the newest version of a layer is the one drawn."""

    __tablename__ = "map_layer_version"
    id: Mapped[int] = mapped_column(primary_key=True)
    layer: Mapped[str] = mapped_column(String(32))
    schematic: Mapped[bool] = mapped_column(Boolean)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    recorded_by: Mapped[str | None] = mapped_column(String(64))
    __table_args__ = (Index("ix_layer_version", "layer", "id"),)


class MapFeature(Base):
    __tablename__ = "map_feature"
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("map_layer_version.id"), index=True)
    layer: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(80))
    geometry: Mapped[dict] = mapped_column(JSON)  # GeoJSON geometry, WGS-84/CGCS2000
    properties: Mapped[dict] = mapped_column(JSON, default=dict)
    schematic: Mapped[bool] = mapped_column(Boolean)
    source_text: Mapped[str | None] = mapped_column(Text)


class CheckStatus(enum.StrEnum):
    OPEN = "待整改"
    IN_PROGRESS = "整改中"
    CLOSED = "已办结"


class SiteCheck(Base):
    """现场核查: a finding recorded on site, usually from a tablet."""

    __tablename__ = "site_check"
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    category: Mapped[str] = mapped_column(String(32))
    finding: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(8))
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"))
    client_token: Mapped[str | None] = mapped_column(String(64), unique=True)  # dedupes double submits
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(64))


class SiteCheckUpdate(Base):
    __tablename__ = "site_check_update"
    id: Mapped[int] = mapped_column(primary_key=True)
    check_id: Mapped[int] = mapped_column(ForeignKey("site_check.id"), index=True)
    status: Mapped[str] = mapped_column(String(8))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    recorded_by: Mapped[str | None] = mapped_column(String(64))


class Photo(Base):
    """Photo bytes live in the shared database so every replica sees them."""

    __tablename__ = "photo"
    id: Mapped[int] = mapped_column(primary_key=True)
    check_id: Mapped[int] = mapped_column(ForeignKey("site_check.id"), index=True)
    mime: Mapped[str] = mapped_column(String(32))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
