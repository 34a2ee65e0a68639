"""A private nginx for the tests (tests/test_nginx_headers.py, tests/test_readiness_watch.py): its own prefix,
pid, logs and temp directories under `work`, never the system's nginx."""
from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from deploy.local import DeployError, ensure_nginx


@contextlib.contextmanager
def private_nginx(work: Path, conf_text: str) -> Iterator[tuple[str, Path]]:
    """Run nginx with `conf_text` as work/nginx.conf (skip when nginx cannot be had); yields (nginx binary, conf)."""
    try:
        nginx = ensure_nginx()  # installs Debian's nginx when missing and we are root, as make deploy-local
    except DeployError as exc:
        pytest.skip(str(exc))
    (work / "tmp").mkdir(parents=True, exist_ok=True)  # nginx makes its temp directories inside
    conf = work / "nginx.conf"
    conf.write_text(conf_text)
    proc = subprocess.Popen([nginx, "-p", str(work), "-c", str(conf), "-g", "daemon off;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield nginx, conf
    finally:
        proc.terminate()
        proc.wait(10)
