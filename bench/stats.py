"""Percentiles and process sampling (psutil when installed, else /proc)."""
from __future__ import annotations

import itertools
import math
import os
import statistics
import threading
import time


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); nan for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, math.ceil(q / 100 * len(ordered)) - 1))
    return ordered[k]


def summary(values: list[float]) -> dict:
    return {"n": len(values), "p50": percentile(values, 50), "p95": percentile(values, 95),
            "mean": statistics.fmean(values) if values else float("nan"),
            "max": max(values) if values else float("nan")}


_TICK = os.sysconf("SC_CLK_TCK")


def _proc_sample(pid: int) -> tuple[float, float]:
    """(RSS bytes, CPU seconds) of `pid` plus its children (from /proc)."""
    rss, cpu = 0.0, 0.0
    for p in [pid, *_children(pid)]:
        try:
            with open(f"/proc/{p}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            cpu += (int(fields[11]) + int(fields[12])) / _TICK
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        rss += int(line.split()[1]) * 1024
        except (OSError, IndexError, ValueError):
            continue
    return rss, cpu


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(x) for x in fh.read().split()]
    except OSError:
        return []


def sample_process(pid: int) -> tuple[float, float]:
    try:
        import psutil

        proc = psutil.Process(pid)
        procs = [proc, *proc.children(recursive=True)]
        return (sum(p.memory_info().rss for p in procs),
                sum(p.cpu_times().user + p.cpu_times().system for p in procs))
    except ImportError:
        return _proc_sample(pid)


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine, all cores (from /proc/stat)."""
    try:
        with open("/proc/stat") as fh:
            vals = [int(x) for x in fh.readline().split()[1:]]
    except (OSError, ValueError):
        return 0.0, 0.0
    idle = vals[3] + (vals[4] if len(vals) > 4 else 0)  # idle + iowait
    return (sum(vals) - idle) / _TICK, sum(vals) / _TICK


class Sampler:
    """Samples RSS and CPU of a process every `interval` seconds in a background thread."""

    def __init__(self, pid: int, interval: float = 0.5) -> None:
        self.pid, self.interval = pid, interval
        self.samples: list[tuple[float, float, float]] = []  # (t, rss, cpu_s)
        self.machine: list[tuple[float, float]] = []  # (busy_s, total_s) of all cores
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            rss, cpu = sample_process(self.pid)
            self.samples.append((time.monotonic(), rss, cpu))
            self.machine.append(machine_cpu())
            self._stop.wait(self.interval)

    def __enter__(self) -> Sampler:  # noqa: PYI034
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def report(self) -> dict:
        s = self.samples
        if len(s) < 6:
            return {"samples": len(s)}
        third = len(s) // 3
        mid = statistics.fmean(r for _, r, _ in s[third:2 * third])
        last = statistics.fmean(r for _, r, _ in s[2 * third:])
        cpu = [(c2 - c1) / (t2 - t1) * 100 for (t1, _, c1), (t2, _, c2) in itertools.pairwise(s) if t2 > t1]
        return {"samples": len(s), "rss_start_mb": s[0][1] / 2**20, "rss_max_mb": max(r for _, r, _ in s) / 2**20,
                "rss_mid_third_mb": mid / 2**20, "rss_last_third_mb": last / 2**20,
                "rss_growth_last_vs_mid": last / mid - 1 if mid else None,
                "cpu_mean_pct": statistics.fmean(cpu), "cpu_p95_pct": percentile(cpu, 95),
                # everything on the machine (server, browsers, database): 100 % = every core busy
                "machine_busy_pct": ((self.machine[-1][0] - self.machine[0][0])
                                     / max(self.machine[-1][1] - self.machine[0][1], 1e-9) * 100),
                "cores": os.cpu_count(),
                "series": [(round(t - s[0][0], 1), round(r / 2**20, 1), round(c, 2)) for t, r, c in s]}
