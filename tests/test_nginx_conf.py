"""The nginx configuration is written once (deploy/nginx_conf.py); the checked-in production site is its output."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from deploy import nginx_conf

REPO = Path(__file__).resolve().parents[1]


def test_checked_in_site_is_generated():
    assert (REPO / "deploy" / "nginx" / "guangwu.conf").read_text() == nginx_conf.production_site()
    # both servers (HTTPS, and the redirect from http://) log with the format that hides a wall link's token
    assert nginx_conf.production_site().count(f"access_log {nginx_conf.ACCESS_LOG} guangwu;") == 2


def test_site_rules():
    text = nginx_conf.site([("127.0.0.1", 8501), ("127.0.0.1", 8502)], listen="8080", down=[8502])
    assert "least_conn;" in text and "ip_hash" not in text and "hash " not in text
    assert "proxy_set_header Upgrade $http_upgrade;" in text
    assert "server 127.0.0.1:8502 max_fails=1 fail_timeout=10s down;" in text
    assert "server 127.0.0.1:8501 max_fails=1 fail_timeout=10s;" in text
    # a pinned browser's replica first, the other as its backup (marked down where the watcher says so)
    pinned = text[text.index("upstream guangwu_r8501 {"):].split("}", 1)[0]
    assert pinned.splitlines()[1:3] == ["    server 127.0.0.1:8501 max_fails=1 fail_timeout=10s;",
                                        "    server 127.0.0.1:8502 backup down;"]
    assert "    r8502 guangwu_r8502;" in text and 'add_header Set-Cookie "gw_route=$gw_served;' in text
    # a websocket is left after 75 s without a byte (Streamlit pings every 30 s), any other request after 30 s
    ws = text[text.index("location = /_stcore/stream {"):].split("}", 1)[0]
    rest = text[text.index("location / {"):].split("}", 1)[0]
    assert "proxy_read_timeout 75s;" in ws and "gw_route=$gw_served" in ws
    assert "proxy_read_timeout 30s;" in rest and "75s" not in rest


@pytest.mark.skipif(shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists(), reason="nginx 未安装")
def test_nginx_accepts_the_local_config(tmp_path):
    (tmp_path / "tmp").mkdir()
    conf = tmp_path / "nginx.conf"
    conf.write_text(nginx_conf.private([("127.0.0.1", 1)], listen="127.0.0.1:1", prefix=str(tmp_path)))
    done = subprocess.run(["/usr/sbin/nginx", "-t", "-p", str(tmp_path), "-c", str(conf)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert f"worker_shutdown_timeout {nginx_conf.WORKER_SHUTDOWN};" in conf.read_text()
