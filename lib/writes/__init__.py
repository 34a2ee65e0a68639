"""Staff writes: one function per form. Pages call these; nothing else writes history.

Every function takes the signed-in `Actor` first (None = not signed in → PermissionDenied), then
keyword fields, then `engine=None` (the app database) and `today=None` (China's date; tests inject
it). Numbers may be numbers or the text people typed (lib.numparse: 「4.96万」, 「6100余」, 「3，847」);
dates may be dates or text (2024-01-05, 2024/1/5, 2024年1月5日) and may not lie in the future.

    record_star_assessment(actor, *, community, star, status, score=None, valid_from=None)
    record_model_status(actor, *, community, status, valid_from=None, note=None)
    record_household_step(actor, *, code, status, on=None, demolished_area_m2=None)
    record_occupancy(actor, *, facility, day=None, occupied)
    record_fact(actor, *, label, value, unit, source_title, valid_from=None, community=None,
                subject=None, indicator=None, qualifier=None, quote=None)
    file_site_check(actor, *, community, category, finding, status="待整改", lon, lat, due_on=None,
                    photo=None, photo_mime=None, client_token=None)
    update_site_check(actor, check_id, *, status, note=None)
    every function also takes submission_key=None (a form's token)
    → WriteResult(inserted: bool, table, key, id, message)   # message is Chinese, shown whole

Rules every write follows:
- Permission is checked inside, against the database copy of the account (an inactive user, or a
  forged/stale role or community, is refused): 领导 never writes, 社区工作人员 only their community
  (subdistrict-level figures and households without a community: 街道管理员 only).
- Invalid input raises ValidationError whose message names the field: 「「得分」：“120”不能大于100」.
- History is appended, never updated (only SiteCheck.status changes, with an audit before/after).
- Provenance: rows point at a `staff` Source per (user, title) — title 「工作人员录入」 for forms,
  the given 「来源」 for facts, 「台账导入：<文件名>」 for ledgers — and carry recorded_by = username.
- Idempotent: if the stored row for the same key already holds the same values, nothing is written
  and `inserted` is False. Keys: star (社区, 星级, 评定日期); model status (社区, 生效日期);
  household (户编号, 状态); occupancy (机构, 日期); fact (对象, 指标代码, 日期); site check client_token.
- One submission is one row, also when two copies arrive at the same moment on two connections: every
  stored write claims, in a SAVEPOINT, a key under the primary key of `write_submission` — the form's
  `submission_key` (one per rendered form) and a key derived from the write's content and the stored row
  it supersedes. A claimed key stores nothing and answers 「已保存（重复提交已忽略）」. Ledgers claim
  their preview's key too (lib.ledger.commit_ledger).
- Plausibility bounds and cross-field invariants (lib.writes.bounds) hold on every path: 得分 0–100,
  入住 ≤ 床位 (≤ 300 without a bed count), 已签订协议 ≤ 涉迁户 …, counts ≥ 0; the message states the bound.
  Fields that store no qualifier refuse 约数 (「约50」); facts keep it (约50人, 6100余平方米).
- Text with control characters (NUL …) is refused with a message naming the field.
- Staff write their own community only: a fact's community comes from its subject (光武街道, projects and
  facilities without a community are 街道管理员 only), never from the writer's account.
- One AuditLog row per stored row, in the same transaction (lib.audit).
"""
from lib.writes.base import STAFF_SOURCE_TITLE, WriteResult, local_today
from lib.writes.checks import file_site_check, update_site_check
from lib.writes.community import record_fact, record_model_status, record_star_assessment
from lib.writes.progress import record_household_step, record_occupancy

__all__ = [
    "STAFF_SOURCE_TITLE", "WriteResult", "file_site_check", "local_today", "record_fact", "record_household_step",
    "record_model_status", "record_occupancy", "record_star_assessment", "update_site_check",
]
