"""The nginx configuration, written once. `upstreams()` says which replicas are in rotation; `front()` is the rest of
the http-context part (maps, log format, server). `make deploy-local` writes both into one private nginx.conf
(`private()`); a real server keeps them apart, as the checked-in `deploy/nginx/guangwu.conf` (`production_site()`,
with TLS) and `deploy/nginx/guangwu-upstreams.conf`, which deploy/readiness_watch.py rewrites.

- websocket upgrades pass through (`/_stcore/stream`); one silent for WS_IDLE (Streamlit pings each every 30 s) is a
  frozen replica's and is closed (Streamlit's frontend reconnects);
  any other request waits HTTP_READ_TIMEOUT for a replica, then goes to the next one;
- a browser stays on one replica: a new one goes to the replica with the fewest connections, and every
  answer sets its `gw_route` cookie to the replica that answered, so its requests (the websocket, uploads,
  media) go there, with the other replicas as backups while it is out. After a failover the browser stays
  with its new replica — its socket is there — rather than being hashed back when the old one returns.
  Staff behind one NAT still spread (unlike ip_hash); Streamlit's sessions and media files live in the
  replica's process;
- passive health: a replica that refuses or times out is skipped (`max_fails`/`fail_timeout`) and the request
  retried on another; `/readyz` on each replica is the active check (deploy/readiness_watch.py or a monitor);
- `/metrics` is not passed: monitoring scrapes each replica's port (ui/metrics.py);
- every answer carries HARDENING (and HSTS behind HTTPS), and nginx does not name its version;
- with no replica answering, a Chinese page that reloads itself (UNAVAILABLE_PAGE), not nginx's English 502.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

# Streamlit's server pings every tab's websocket every 30 s (server.websocketPingInterval, left at its default): a
# websocket silent for longer than two pings is a frozen replica's, and is closed so the browser reconnects to one
# that answers (it stayed open an hour, the wall showing stale figures with no sign).
WS_IDLE = "75s"
# Any other request (the page, scripts, media, uploads, sign-in): a replica silent this long is skipped and the
# request retried on another (proxy_next_upstream timeout; nginx retries only idempotent methods).
HTTP_READ_TIMEOUT = "30s"
# After a reload (a change of rotation by deploy/readiness_watch.py, a certificate renewal) an old worker serves its
# connections until they close, and a wall's or tablet's websocket never does (Streamlit pings it): each reload left
# one more generation of workers for days. This long after a reload an old worker closes what it still holds; the
# browser reconnects to the same replica and resumes its session. A main-context directive: a real server sets it
# in /etc/nginx/nginx.conf (README 多副本部署).
WORKER_SHUTDOWN = "10m"
HSTS = "max-age=31536000"
ACCESS_LOG = "/var/log/nginx/access.log"  # Debian's, rotated by its logrotate rule
# A 大屏链接 (/display/<token>, lib.display_links) is shown once and only its token's hash is stored; the access
# log kept it whole, for whoever reads the logs. Logged as /display/<redacted> (query kept); /display/end is not a
# token. Otherwise nginx's `combined` format.
LOG_FORMAT = r"""map $request_uri $gw_log_uri {
    default $request_uri;
    "~^/display/end(\?.*)?$" $request_uri;
    "~^/display/[^?]*(?<gw_query>\?.*)?$" /display/<redacted>$gw_query;
}
log_format guangwu '$remote_addr - $remote_user [$time_local] "$request_method $gw_log_uri $server_protocol" '
                   '$status $body_bytes_sent "$http_referer" "$http_user_agent"';"""
HARDENING = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "SAMEORIGIN", "Referrer-Policy": "same-origin"}
UPLOAD_LIMIT = "25m"  # above Streamlit's server.maxUploadSize (20 MB) so Streamlit gives the Chinese message
RETRY_SECONDS = 5
# What a browser gets when no replica answers (all restarting, a host rebooting), instead of nginx's English
# 「502 Bad Gateway」: Chinese, readable on a wall from 4 m, and reloading itself, so a wall screen comes back on its
# own when a replica does. Single quotes and $ are not allowed inside (nginx string, variables).
UNAVAILABLE_PAGE = (
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
    f'<meta http-equiv="refresh" content="{RETRY_SECONDS}"><meta name="viewport" content="width=device-width">'
    "<title>光武街道基层治理看板</title></head>"
    '<body style="margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;'
    'background:#0e1117;color:#fafafa;font-family:sans-serif;text-align:center">'
    '<div><p style="font-size:3rem;margin:0 0 1rem">看板正在重新启动或暂时无法访问</p>'
    f'<p style="font-size:1.6rem;color:#c0c4cc">页面每 {RETRY_SECONDS} 秒自动重试，恢复后自动显示；'
    "长时间未恢复请联系管理员。</p></div></body></html>"
)


def upstream_lines(replicas: Sequence[tuple[str, int]], down: Sequence[int] = (), *, first: int | None = None) -> str:
    """`server` lines; with `first`, that replica serves and the others are its backups."""
    lines = []
    for host, port in sorted(replicas, key=lambda r: r[1] != first) if first else replicas:
        role = " backup" if first and port != first else " max_fails=1 fail_timeout=10s"
        lines.append(f"    server {host}:{port}{role}{' down' if port in down else ''};")
    return "\n".join(lines)


def route(port: int) -> str:
    """The gw_route cookie's value for the replica on `port` (its port: stable when replicas are added)."""
    return f"r{port}"


def upstreams(replicas: Sequence[tuple[str, int]], down: Sequence[int] = ()) -> str:
    """The upstream blocks, the only part that says which replicas are in rotation (`down`: marked out). A real
    server keeps them in their own file (deploy/nginx/guangwu-upstreams.conf), which the readiness watcher
    rewrites; the site file (`front`) then never changes under an administrator's edits."""
    groups = "".join(f"""
# A browser pinned to the replica on :{port} (its gw_route cookie): it first, the others as backups.
upstream guangwu_{route(port)} {{
{upstream_lines(replicas, down, first=port)}
    keepalive 8;
}}""" for _, port in replicas)
    return f"""# 光武街道看板: the replicas in rotation (generated by deploy/nginx_conf.py; deploy/readiness_watch.py marks
# an unready one `down`)
# A new browser: the replica holding the fewest connections (websockets are long-lived).
upstream guangwu {{
    least_conn;
{upstream_lines(replicas, down)}
    keepalive 16;
}}{groups}
"""


def _maps(replicas: Sequence[tuple[str, int]]) -> str:
    """The cookie → upstream map, and the map from the replica that answered (the last in $upstream_addr) to
    the cookie that pins a browser to it."""
    by_cookie = "\n".join(f"    {route(port)} guangwu_{route(port)};" for _, port in replicas)
    by_answer = "\n".join(f'    "~(^|\\s){re.escape(host)}:{port}$" {route(port)};' for host, port in replicas)
    return f"""# A browser pinned to a replica (its gw_route cookie) goes there, or to a backup while that one is out.
map $cookie_gw_route $gw_upstream {{
    default guangwu;
{by_cookie}
}}
# The cookie names the replica that answered: after a failover the browser stays with its new replica.
map $upstream_addr $gw_served {{
    default "";
{by_answer}
}}"""


def _headers(*, tls: bool) -> str:
    """Sent with every answer (`always`: errors too): HSTS behind HTTPS, and no MIME sniffing, framing by
    other sites or referrers leaving the intranet address."""
    lines = [f'add_header {name} "{value}" always;' for name, value in HARDENING.items()]
    if tls:
        lines.insert(0, f'add_header Strict-Transport-Security "{HSTS}" always;')
    return "\n".join("    " + line for line in lines)


def site(replicas: Sequence[tuple[str, int]], *, down: Sequence[int] = (), **options) -> str:
    """Upstream and server blocks in one text (deploy-local's private nginx); `options` as for `front`."""
    return upstreams(replicas, down) + front(replicas, **options)


def front(replicas: Sequence[tuple[str, int]], *, listen: str, server_name: str = "_",
          tls: tuple[str, str] | None = None, http_read_timeout: str = HTTP_READ_TIMEOUT,
          ws_idle: str = WS_IDLE, access_log: str = ACCESS_LOG) -> str:
    """Everything but the upstreams: the maps and the server block. `tls` = (certificate, key) paths: listen with
    ssl and mark cookies Secure. `access_log`: where requests are logged (LOG_FORMAT: a 大屏链接's token hidden)."""
    ssl = f"""
    ssl_certificate     {tls[0]};
    ssl_certificate_key {tls[1]};
    ssl_protocols TLSv1.2 TLSv1.3;""" if tls else ""
    secure = "; Secure" if tls else ""
    headers = _headers(tls=tls is not None)
    # What both proxied locations send back: the browser's pin to the replica that answered, and which one it was.
    # A block with its own add_header inherits none from the server block: the hardening headers again.
    pinned = f"""        proxy_buffering off;
        add_header Set-Cookie "gw_route=$gw_served; Path=/; HttpOnly; SameSite=Lax{secure}" always;
        add_header X-Guangwu-Replica $upstream_addr always;  # which replica served (operators, tests; `always`:
                                                             # on the websocket's 101 too)
    {headers.replace(chr(10), chr(10) + "    ")}"""
    return f"""# 光武街道看板: nginx in front of {len(replicas)} Streamlit replicas (generated by deploy/nginx_conf.py; the
# upstreams it proxies to are in guangwu-upstreams.conf on a real server)
map $http_upgrade $gw_connection {{
    default upgrade;
    ""      "";
}}
{_maps(replicas)}
{LOG_FORMAT}

server {{
    listen {listen}{' ssl' if tls else ''};
    server_name {server_name};{ssl}
    server_tokens off;
    client_max_body_size {UPLOAD_LIMIT};
    access_log {access_log} guangwu;
{headers}

    proxy_http_version 1.1;
    proxy_set_header Host $http_host;  # with its port: Streamlit's websocket same-origin check compares it
    proxy_set_header X-Real-IP $remote_addr;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto $scheme;
    proxy_set_header Upgrade $http_upgrade;
    proxy_set_header Connection $gw_connection;
    # (set here only: a location with any proxy_set_header of its own would inherit none of these)
    proxy_connect_timeout 2s;
    proxy_next_upstream error timeout http_502 http_503;
    proxy_next_upstream_tries 3;

    # A replica that accepts and never answers is left after {http_read_timeout} (then the next replica); a websocket
    # after {ws_idle} without a byte (Streamlit pings each one every 30 s).
    location / {{
        proxy_pass http://$gw_upstream;
        proxy_read_timeout {http_read_timeout};
        proxy_send_timeout {http_read_timeout};
{pinned}
    }}
    location = /_stcore/stream {{
        proxy_pass http://$gw_upstream;
        proxy_read_timeout {ws_idle};
        proxy_send_timeout {ws_idle};
{pinned}
    }}
    # Readiness of whichever replica this browser is pinned to (per-replica checks go to the replicas' ports).
    location = /readyz {{
        proxy_pass http://$gw_upstream;
        proxy_read_timeout 5s;
    }}
    # Each replica's metrics are scraped on its own port by the monitoring host, never through here.
    location = /metrics {{
        return 404;
    }}
    # No replica answered: the Chinese page that retries (UNAVAILABLE_PAGE). Only nginx's own errors come here
    # (proxy_intercept_errors is off): a replica's 503 from /readyz passes through as it is.
    error_page 502 503 504 =503 /_guangwu/unavailable;
    location = /_guangwu/unavailable {{
        internal;
        default_type "text/html; charset=utf-8";
        add_header Retry-After {RETRY_SECONDS} always;
        add_header Cache-Control no-store always;
    {headers.replace(chr(10), chr(10) + "    ")}
        return 503 '{UNAVAILABLE_PAGE}';
    }}
}}
"""


def main_conf(site_text: str, *, prefix: str, worker_shutdown: str = WORKER_SHUTDOWN) -> str:
    """A whole nginx.conf for a private nginx under `prefix` (deploy-local): own pid, logs and temp dirs."""
    return f"""# Private nginx for make deploy-local; started with -p {prefix} -c nginx.conf
worker_processes 1;
worker_shutdown_timeout {worker_shutdown};  # old workers close their websockets after a reload (WORKER_SHUTDOWN)
pid {prefix}/nginx.pid;
error_log {prefix}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log {prefix}/nginx-access.log;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    default_type application/octet-stream;
    include /etc/nginx/mime.types;
{site_text}
}}
"""


PRODUCTION_REPLICAS = (("127.0.0.1", 8501), ("127.0.0.1", 8502))  # as deploy/systemd/ and the README name them
SITE_FILE, UPSTREAMS_FILE = "guangwu.conf", "guangwu-upstreams.conf"  # both go to /etc/nginx/conf.d/


def private(replicas: Sequence[tuple[str, int]], *, prefix: str, down: Sequence[int] = (),
            worker_shutdown: str = WORKER_SHUTDOWN, **options) -> str:
    """A whole nginx.conf for a private nginx under `prefix` (deploy-local, tests): `site` logging to the prefix."""
    return main_conf(site(replicas, down=down, access_log=f"{prefix}/nginx-access.log", **options), prefix=prefix,
                     worker_shutdown=worker_shutdown)


def production_site(replicas: Sequence[tuple[str, int]] = PRODUCTION_REPLICAS) -> str:
    """What deploy/nginx/guangwu.conf holds: HTTPS on 443 in front of `replicas` (see README); its upstreams are
    in guangwu-upstreams.conf, which guangwu-readiness.service rewrites."""
    return front(replicas, listen="443", server_name="guangwu.example.internal",
                 tls=("/etc/ssl/guangwu/fullchain.pem", "/etc/ssl/private/guangwu.key")) + """
server {
    listen 80;
    server_name guangwu.example.internal;
    access_log """ + ACCESS_LOG + """ guangwu;  # a wall link typed as http:// is redirected, and not logged whole
    return 301 https://$host$request_uri;
}
"""


def main(argv: Sequence[str] | None = None) -> int:
    """python -m deploy.nginx_conf [--replicas 127.0.0.1:8501,127.0.0.1:8502] [--dir deploy/nginx]"""
    import argparse
    from pathlib import Path

    parser = argparse.ArgumentParser(description="写出 nginx 站点与上游两个文件（正式部署，见 README）")
    parser.add_argument("--replicas", default=",".join(f"{h}:{p}" for h, p in PRODUCTION_REPLICAS),
                        help="host:port,…（与 systemd 的 guangwu@端口 及 guangwu-readiness.service 一致）")
    parser.add_argument("--dir", type=Path, default=Path(__file__).resolve().parent / "nginx")
    args = parser.parse_args(argv)
    try:
        replicas = parse_replicas(args.replicas)
    except ValueError as exc:
        parser.error(str(exc))
    (args.dir / SITE_FILE).write_text(production_site(replicas))
    (args.dir / UPSTREAMS_FILE).write_text(upstreams(replicas))
    print(f"已写出 {args.dir / SITE_FILE} 与 {args.dir / UPSTREAMS_FILE}（{len(replicas)} 个副本）")
    return 0


def parse_replicas(text: str) -> list[tuple[str, int]]:
    """「127.0.0.1:8501,127.0.0.1:8502」 → [("127.0.0.1", 8501), ("127.0.0.1", 8502)]."""
    out = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        host, _, port = item.rpartition(":")
        if not host or not port.isdigit():
            raise ValueError(f"副本地址应写成 主机:端口，收到「{item}」")
        if any(p == int(port) for _, p in out):  # routes and `down` marks are keyed by port (route())
            raise ValueError(f"副本端口重复：{port}（每个副本须用不同的端口，即使在不同主机上）")
        out.append((host, int(port)))
    return out


if __name__ == "__main__":
    raise SystemExit(main())
