"""Command line for accounts (there is never a default password).

    python -m lib.users create-admin --username admin [--display-name 管理员] [--password-stdin]
    python -m lib.users create-user --username zx01 --role 社区工作人员 --community 中兴 [--password-stdin]
    python -m lib.users set-password --username zx01 [--password-stdin]
    python -m lib.users list

Without --password-stdin the password is asked twice with getpass (not echoed). Every change is
written to the audit log as user "system" (lib.auth.SYSTEM: the only caller that may skip the
administrator check). --database-url overrides DATABASE_URL.
"""
from __future__ import annotations

import argparse
import getpass
import sys

from lib import auth
from lib.db import check_database, describe, get_engine
from lib.errors import DashboardError
from lib.models import Role
from lib.queries.accounts import list_users


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    first = getpass.getpass("密码（至少8位）：")
    second = getpass.getpass("再次输入密码：")
    if first != second:
        raise DashboardError("两次输入的密码不一致")
    return first


def _print_users(engine) -> None:
    df = list_users(engine=engine)
    if df.empty:
        print("尚无用户。请运行：python -m lib.users create-admin --username <用户名>")
        return
    for r in df.itertuples():
        state = "启用" if r.active else "已停用"
        print(f"{r.username}\t{r.display_name}\t{r.role}\t{r.community or '—'}\t{state}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lib.users", description="管理本地账号")
    parser.add_argument("--database-url", help="默认取 DATABASE_URL 或 data/guangwu.db")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, helptext in (("create-admin", "创建街道管理员"), ("create-user", "创建账号"),
                           ("set-password", "重设密码")):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("--username", required=True)
        p.add_argument("--password-stdin", action="store_true", help="从标准输入读取一行作为密码")
        if name != "set-password":
            p.add_argument("--display-name")
        if name == "create-user":
            p.add_argument("--role", required=True, choices=[r.value for r in Role])
            p.add_argument("--community", help="社区工作人员所属社区，如 中兴")
    sub.add_parser("list", help="列出账号")
    args = parser.parse_args(argv)
    try:
        engine = get_engine(args.database_url)
        check_database(engine)
        if args.command == "list":
            _print_users(engine)
            return 0
        password = _read_password(args)
        if args.command == "set-password":
            auth.set_password(args.username, password, by=auth.SYSTEM, engine=engine)
            print(f"已重设用户“{args.username}”的密码（{describe(engine)}）")
            return 0
        role = Role.ADMIN.value if args.command == "create-admin" else args.role
        actor = auth.create_user(args.username, password, role=role, display_name=args.display_name,
                                 community=getattr(args, "community", None), by=auth.SYSTEM,
                                 engine=engine)
        print(f"已创建{actor.role}“{actor.username}”（{actor.display_name}）于 {describe(engine)}")
        return 0
    except DashboardError as exc:
        print(f"操作失败：{exc.message}", file=sys.stderr)
        for line in exc.details:
            print(f"  {line}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
