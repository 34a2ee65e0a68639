"""Local accounts, roles and the permission check every write goes through.

Roles (lib.models.Role): 领导 views only; 社区工作人员 edits their own community only; 街道管理员 edits
everything, manages users and imports geometry. Passwords are bcrypt hashes in `app_user`.

    Actor(username, display_name, role, community)                 # who is writing; frozen
    require(actor, action, *, community=None)                      # raises PermissionDenied
        action: "view" | "edit" | "manage_users" | "import_geometry"
    authenticate(username, password, *, client=None, engine=None) -> Actor | None   # raises when locked out
    check_password(…same…) -> PasswordCheck | None; still_holds(session, check) -> bool   # for lib.sessions
    create_user(username, password, *, role, display_name=None, community=None, by, engine=None, rounds=12) -> Actor
    create_account(…same…, submission_key=None) -> NewAccount(actor, repeated)   # a form's submit
    set_password(username, password, *, by, engine=None, rounds=12)
    update_user(username, *, by, role=None, community=None, display_name=None, active=None, engine=None)
    deactivate(username, *, by, engine=None)            # the list of accounts: lib.queries.accounts
    verify_actor(session, actor) -> User                           # used inside every write
Account changes hold the account row (a change sent twice at once is one change, one audit row).

`by` is the administrator making the change, or `SYSTEM` — the trusted command line (only lib.users passes it).
`by=None` (nobody signed in) is always refused. Every user change and login attempt is audited; hashes stay here.

Brute force: after LOGIN_MAX_FAILURES failed attempts on one user name (since its last successful sign-in), or
LOGIN_MAX_FAILURES_PER_CLIENT from one client address, within LOGIN_LOCKOUT_MINUTES, sign-in is refused for that
period without checking the password — the same for names that do not exist, so the lock reveals nothing.
Failures are counted from the audit rows (lib.audit.failed_logins); a refusal is audited too.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import bcrypt
from sqlalchemy import Engine, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lib import audit, login_guard, submissions, text
from lib.config import settings
from lib.db import get_engine, session_scope
from lib.errors import NotFound, PermissionDenied, ValidationError
from lib.models import Community, Role, User
from lib.scope import short_name

DEFAULT_ROUNDS = 12
MIN_PASSWORD = 8
ROLES = [r.value for r in Role]
_USERNAME = re.compile(r"^[A-Za-z0-9_.@\-\u4e00-\u9fff]{2,64}$")
DISPLAY_NAME_MAX = 64  # the column's length


class _CommandLine:
    """The trusted command line (python -m lib.users). Compared by identity: it cannot be forged from data."""

    username = "system"
    display_name = "命令行"

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = _CommandLine()


@dataclass(frozen=True)
class Actor:
    username: str
    display_name: str
    role: str
    community: str | None = None  # short name (中兴) for 社区工作人员, else None

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def can_edit(self) -> bool:
        return self.role in (Role.ADMIN, Role.STAFF)


def require(actor: Actor | None, action: str, *, community: str | None = None) -> None:
    """Raise PermissionDenied (Chinese) unless `actor` may do `action` (on `community`, None = subdistrict)."""
    if action == "view":
        if actor is None and settings().require_login_to_view:
            raise PermissionDenied("请先登录后查看")
        return
    if actor is None:
        raise PermissionDenied("未登录，不能修改数据")
    if action in ("manage_users", "import_geometry"):
        if actor.role != Role.ADMIN:
            what = "管理用户" if action == "manage_users" else "导入地图数据"
            raise PermissionDenied(f"只有街道管理员可以{what}（当前账号：{actor.display_name}，{actor.role}）")
        return
    if action != "edit":
        raise PermissionDenied(f"未知操作“{action}”")
    if actor.role == Role.ADMIN:
        return
    if actor.role == Role.LEADER:
        raise PermissionDenied("领导账号仅可查看，不能修改数据")
    if actor.role != Role.STAFF:
        raise PermissionDenied(f"账号角色“{actor.role}”不能修改数据")
    if not actor.community:
        raise PermissionDenied("该社区工作人员账号未绑定社区，不能修改数据")
    if community is None:
        raise PermissionDenied(f"社区工作人员只能修改本社区（{actor.community}）的数据，街道级数据须由街道管理员录入")
    if community != actor.community:
        raise PermissionDenied(f"社区工作人员只能修改本社区（{actor.community}）的数据，不能修改「{community}」社区")


def _hash(password: str, rounds: int) -> str:
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds)).decode("ascii")


def _check(password: str, hashed: str) -> bool:
    try:
        return bcrypt.checkpw(password.encode("utf-8"), hashed.encode("ascii"))
    except ValueError:  # over 72 bytes, or a malformed hash
        return False


def _validate_password(password: str) -> None:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise ValidationError(f"「密码」：至少{MIN_PASSWORD}个字符")
    if len(password.encode("utf-8")) > 72:
        raise ValidationError("「密码」：过长（最多72字节，约24个汉字或72个字母）")
    if password.strip() != password:
        raise ValidationError("「密码」：首尾不能有空格")
    if text.refused(password):
        raise ValidationError("「密码」：不能包含空字符或其他控制字符")


def _display_name(value: object) -> str:
    """The one rule for a display name, on create and on update: the text rule (lib.text), not blank, ≤ 64."""
    value = text.clean(str(value))
    if not value:
        raise ValidationError("「显示名称」：不能为空")
    if text.refused(value):
        raise ValidationError("「显示名称」：不能包含空字符或其他控制字符")
    if len(value) > DISPLAY_NAME_MAX:
        raise ValidationError(f"「显示名称」：过长（{len(value)}个字，最多{DISPLAY_NAME_MAX}个字）")
    return value


def _actor(user: User, community: str | None) -> Actor:
    return Actor(user.username, user.display_name, user.role, community)


def _community_name(session: Session, cid: int | None) -> str | None:
    return None if cid is None else session.scalar(select(Community.name).where(Community.id == cid))


def _community_id(session: Session, role: str, community: str | None) -> int | None:
    if role != Role.STAFF:
        if community:
            raise ValidationError(f"「所属社区」：{role}账号不绑定社区，请留空")
        return None
    if not community:
        raise ValidationError("「所属社区」：社区工作人员必须选择所属社区")
    cid = session.scalar(select(Community.id).where(Community.name == short_name(community)))
    if cid is None:
        raise ValidationError(f"「所属社区」：未知社区“{community}”")
    return cid


def _check_admin(by: Actor | _CommandLine | None) -> None:
    if by is not SYSTEM:
        require(by, "manage_users")  # None: PermissionDenied


def _verify(session: Session, by: Actor | _CommandLine | None) -> None:
    """Re-read the acting account (a deactivated or demoted administrator's old session cannot manage users)."""
    if by is not SYSTEM:
        verify_actor(session, by)


def _user(session: Session, username: str, *, hold: bool = False) -> User:
    """`hold`: held until the transaction ends (FOR UPDATE; SQLite: the writer's turn): a repeat reads the first's
    write."""
    if hold and session.get_bind().dialect.name != "postgresql":
        from lib.writes.base import take_writer_turn  # lib.writes builds on this module
        take_writer_turn(session)
    stmt = select(User).where(User.username == username)
    user = session.scalar(stmt.with_for_update(of=User) if hold else stmt)
    if user is None:
        raise NotFound(f"未找到用户“{username}”")
    return user


def _public(user: User, community: str | None) -> dict:
    return {"username": user.username, "display_name": user.display_name, "role": user.role,
            "community": community, "active": user.active}


@dataclass(frozen=True)
class NewAccount:
    """A created account; `repeated`: the same form's submission was stored before (nothing new written)."""

    actor: Actor
    repeated: bool


def create_user(username: str, password: str, *, role: str, display_name: str | None = None,
                community: str | None = None, by: Actor | _CommandLine | None, engine: Engine | None = None,
                rounds: int = DEFAULT_ROUNDS) -> Actor:
    """Create an account (by an administrator `by`, or by the command line: `by=SYSTEM`). Returns its Actor."""
    return create_account(username, password, role=role, display_name=display_name, community=community, by=by,
                          engine=engine, rounds=rounds).actor


def create_account(username: str, password: str, *, role: str, display_name: str | None = None,
                   community: str | None = None, by: Actor | _CommandLine | None, engine: Engine | None = None,
                   rounds: int = DEFAULT_ROUNDS, submission_key: str | None = None) -> NewAccount:
    """`create_user` for a form: its `submission_key` is claimed with the account, so a double-click (even on two
    connections at once) creates one account and its repeat is answered as created, not as 「已存在」."""
    _check_admin(by)
    username = (username or "").strip()
    if not _USERNAME.match(username):
        raise ValidationError("「用户名」：需2–64个字符，只能包含字母、数字、汉字和 _ . @ -")
    if role not in ROLES:
        raise ValidationError(f"「角色」：“{role}”无效，应为{'、'.join(ROLES)}之一")
    _validate_password(password)
    display_name = _display_name(username if display_name is None else display_name)
    key = submissions.form_key(submission_key)
    with session_scope(engine) as s:
        _verify(s, by)
        if (repeat := _repeat(s, key)) is not None:
            return repeat
        if s.scalar(select(User.id).where(User.username == username)) is not None:
            # this very submission may have committed (account and key at once) between the two reads: look again
            if (repeat := _repeat(s, key)) is not None:
                return repeat
            raise _taken(username)
        cid = _community_id(s, role, community)
        user = User(username=username, display_name=display_name, role=role, community_id=cid,
                    password_hash=_hash(password, rounds), active=True)
        try:
            with s.begin_nested():
                s.add(user)
                s.flush()
                submissions.claim(s, key, "app_user", user.id, by.username)
        except IntegrityError:  # the name (or this very submission) stored meanwhile on another connection
            if user in s:
                s.expunge(user)
            if (repeat := _repeat(s, key)) is not None:
                return repeat
            if s.scalar(select(User.id).where(User.username == username)) is None:
                raise
            raise _taken(username) from None
        name = _community_name(s, cid)
        audit.record(s, by, "create_user", "app_user", username, cid, None, _public(user, name))
        return NewAccount(_actor(user, name), False)


def _repeat(s: Session, key: str | None) -> NewAccount | None:
    user_id = submissions.claimed_record(s, key)
    user = None if user_id is None else s.get(User, user_id)
    return None if user is None else NewAccount(_actor(user, _community_name(s, user.community_id)), True)


def _taken(username: str) -> ValidationError:
    return ValidationError(f"「用户名」：“{username}”已存在")


@dataclass(frozen=True)
class PasswordCheck:
    """A password check that succeeded: the Actor and a digest of the credential checked (the hash stays here)."""

    actor: Actor
    user_id: int
    credential: str


def _credential(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode("ascii")).hexdigest()


def still_holds(session: Session, check: PasswordCheck) -> bool:
    """Whether the account is still active with the password `check` accepted, inside the caller's transaction,
    with the account row locked until it ends: a password change or deactivation either committed before (then
    False) or waits until the caller's rows are committed (and then ends the sessions among them)."""
    # A no-op write is the lock on both backends: PostgreSQL's row lock, SQLite's one-writer lock.
    session.execute(update(User).where(User.id == check.user_id).values(active=User.active))
    user = session.get(User, check.user_id, populate_existing=True)
    return user is not None and user.active and _credential(user) == check.credential


def authenticate(username: str, password: str, *, client: str | None = None,
                 engine: Engine | None = None) -> Actor | None:
    """The Actor for a correct username/password of an active account, else None (one bcrypt check either way).

    Raises PermissionDenied (Chinese, the same for every name) while the name or `client` is locked out."""
    checked = check_password(username, password, client=client, engine=engine)
    return None if checked is None else checked.actor


def check_password(username: str, password: str, *, client: str | None = None,
                   engine: Engine | None = None) -> PasswordCheck | None:
    """`authenticate`, keeping what was checked (lib.sessions confirms it with `still_holds` as it stores the
    session, so a password changed in between leaves no session)."""
    username = (username or "").strip()
    key = text.printable(username, mark="?")[:120] or "(空)"  # a name with control characters matches no account
    client = text.printable((client or "").strip(), mark="?")[:64] or None
    with session_scope(engine or get_engine()) as s:
        locked = login_guard.lockout(s, key, client)
        if locked:
            audit.record(s, key[:64], "login_locked", "app_user", key, None, None,
                         {"reason": locked, "client": client})
    if locked:  # the refusal's audit row is committed; the password is not even checked
        raise PermissionDenied(f"登录失败次数过多，已暂时锁定，请 {settings().login_lockout_minutes} 分钟后再试。"
                               "如忘记密码，请联系街道管理员重设。")
    with session_scope(engine or get_engine()) as s:
        user = s.scalar(select(User).where(User.username == username)) if username and key == username else None
        hashed = user.password_hash if user is not None else login_guard.dummy_hash(s, DEFAULT_ROUNDS)
        ok = _check(password or "", hashed) and user is not None and user.active
        if not ok:
            reason = "no_user" if user is None else ("inactive" if not user.active else "bad_password")
            audit.record(s, key[:64], "login_failed", "app_user", key, None, None,
                         {"reason": reason, **({"client": client} if client else {})})
            return None
        name = _community_name(s, user.community_id)
        audit.record(s, user.username, "login", "app_user", user.username, user.community_id, None,
                     {"client": client} if client else None)
        return PasswordCheck(_actor(user, name), user.id, _credential(user))


def set_password(username: str, password: str, *, by: Actor | _CommandLine | None, engine: Engine | None = None,
                 rounds: int = DEFAULT_ROUNDS) -> None:
    """Set a new password. `by` must be an administrator, the user themself, or SYSTEM (the command line)."""
    if by is not SYSTEM and (by is None or by.username != username):
        require(by, "manage_users")
    _validate_password(password)
    with session_scope(engine) as s:
        _verify(s, by)
        user = _user(s, username, hold=True)
        if _check(password, user.password_hash):
            return  # already this password (a double-click's repeat): nothing to write, the sessions were ended
        user.password_hash = _hash(password, rounds)
        audit.record(s, by, "set_password", "app_user", username, user.community_id, None,
                     {"password_changed": True})
        _end_sessions(s, user, "password", by)


def update_user(username: str, *, by: Actor | _CommandLine | None, role: str | None = None, community: str | None = None,
                display_name: str | None = None, active: bool | None = None,
                engine: Engine | None = None) -> Actor:
    """Change role / community / display name / active flag; None = keep. A non-staff role clears the community."""
    _check_admin(by)
    with session_scope(engine) as s:
        _verify(s, by)
        user = _user(s, username, hold=True)
        before = _public(user, _community_name(s, user.community_id))
        new_role = role or user.role
        if new_role not in ROLES:
            raise ValidationError(f"「角色」：“{new_role}”无效，应为{'、'.join(ROLES)}之一")
        wanted = (community or before["community"]) if new_role == Role.STAFF else community
        if by is not SYSTEM and by.username == username and (new_role != Role.ADMIN or active is False):
            raise ValidationError("不能降低或停用自己的管理员账号，请由其他管理员操作")
        user.community_id = _community_id(s, new_role, wanted)
        user.role = new_role
        if display_name is not None:
            user.display_name = _display_name(display_name)
        if active is not None:
            user.active = bool(active)
        after = _public(user, _community_name(s, user.community_id))
        if after == before:  # nothing changes (a double-click's repeat): no audit row
            return _actor(user, after["community"])
        action = "deactivate" if before["active"] and not after["active"] else "update_user"
        audit.record(s, by, action, "app_user", username, user.community_id, before, after)
        if action == "deactivate":
            _end_sessions(s, user, "deactivated", by)
        return _actor(user, after["community"])


def _end_sessions(s: Session, user: User, reason: str, by: Actor | None) -> None:
    """A password change or deactivation signs the account out of every browser (same transaction)."""
    from lib.sessions import end_user_sessions  # lib.sessions builds on this module

    s.flush()
    end_user_sessions(s, user.id, reason, by=by)


def deactivate(username: str, *, by: Actor | _CommandLine | None, engine: Engine | None = None) -> None:
    """Block further sign-ins (rows the user wrote keep their name)."""
    update_user(username, by=by, active=False, engine=engine)


def verify_actor(session: Session, actor: Actor | None) -> User | None:
    """Re-read `actor` from the database: an inactive account or a stale/forged role or community is refused."""
    if actor is None:
        raise PermissionDenied("未登录，不能修改数据")
    user = session.scalar(select(User).where(User.username == actor.username))
    if user is None or not user.active:
        raise PermissionDenied(f"账号“{actor.username}”不存在或已停用，不能修改数据")
    if user.role != actor.role or _community_name(session, user.community_id) != actor.community:
        raise PermissionDenied("账号权限已变更，请重新登录后再操作")
    return user
