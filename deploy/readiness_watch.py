"""Active readiness checks for deploy-local's private nginx (open-source nginx only has passive ones).

Every INTERVAL seconds, GET each replica's /readyz (timeout TIMEOUT); a replica that is not ready is
marked `down` in the upstream and nginx reloads (SIGHUP to its master), and is put back once ready
again. It never marks every replica down (nginx would then have nothing to try). Started by
`python -m deploy.local up`, stopped with the rest by `down`.

    python -m deploy.readiness_watch --run-dir deploy/run
"""
from __future__ import annotations

import argparse
import os
import signal
import time
from pathlib import Path

from deploy.local import RUN_DIR, State, _get, write_nginx_conf

INTERVAL = 1.0
TIMEOUT = 3.0


def not_ready(state: State) -> set[int]:
    return {p.port for p in state.procs if p.name.startswith("replica")
            and _get(f"http://127.0.0.1:{p.port}/readyz", timeout=TIMEOUT) != 200}


def watch(run_dir: Path) -> None:
    state = State.load(run_dir)
    if state is None:
        raise SystemExit(f"no deployment in {run_dir}")
    nginx = next(p for p in state.procs if p.name == "nginx")
    replicas = [p.port for p in state.procs if p.name.startswith("replica")]
    down: set[int] = set()
    while True:
        now = not_ready(state)
        if len(now) == len(replicas):
            now = down  # all failing: leave nginx as it is, its passive checks still apply
        if now != down:
            write_nginx_conf(Path(run_dir), replicas, nginx.port, down=sorted(now))
            os.kill(nginx.pid, signal.SIGHUP)
            print(f"{time.strftime('%H:%M:%S')} 未就绪、已摘除：{sorted(now) or '无'}", flush=True)
            down = now
        time.sleep(INTERVAL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run-dir", type=Path, default=RUN_DIR)
    watch(parser.parse_args().run_dir)


if __name__ == "__main__":
    main()
