"""The served entries (serve.py, bench/floor_serve.py) install each change they make to Streamlit's server;
AppTest, which imports neither, keeps Streamlit's own behaviour (deploy/wakeups.py, deploy/ws_writes.py,
deploy/media_sweep.py)."""
from __future__ import annotations

import pytest
from child_python import last_line

ENTRIES = {
    "serve.py": "import serve",
    "bench/floor_serve.py": "import sys; sys.path.insert(0, 'bench'); import floor_serve",
    "AppTest": "from streamlit.testing.v1 import AppTest; AppTest.from_file('app.py', default_timeout=60).run()",
}


@pytest.mark.parametrize("module", ["wakeups", "ws_writes", "media_sweep"])
@pytest.mark.parametrize(("entry", "expected"), [("serve.py", "True"), ("bench/floor_serve.py", "True"),
                                                 ("AppTest", "False")])
def test_installed_by_the_served_entries_only(module, entry, expected):
    assert last_line(f"{ENTRIES[entry]}; from deploy import {module}; print({module}.installed())") == expected


def test_make_run_asks_the_internet_for_nothing(app_db, tmp_path):
    """`make run` serves on every address (no --server.address). Headless, Streamlit then looks up this
    machine's internet address for its start banner (checkip.amazonaws.com: an outside request, and 2 s of
    timeouts on an intranet). The app's config hides that banner; the Makefile prints the address itself."""
    import subprocess
    import sys
    import time
    import urllib.request

    from devtools.streamlit_server import REPO, free_port, server_env

    port = free_port()
    log = tmp_path / "run.log"
    with log.open("w") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "serve.py", "--server.port", str(port),
                                 "--server.headless", "true"], cwd=REPO, env=server_env(app_db), stdout=fh,
                                stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                    break
            except OSError:
                assert time.monotonic() < deadline and proc.poll() is None, log.read_text()
                time.sleep(0.3)
        time.sleep(2.5)  # past the banner's two 1 s lookups
    finally:
        proc.terminate()
        proc.wait(15)
    text = log.read_text()
    assert "external IP" not in text and "External URL" not in text, text
    make = (REPO / "Makefile").read_text()
    assert "看板地址：http://localhost:$(PORT)" in make
