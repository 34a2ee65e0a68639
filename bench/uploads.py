"""Figure 9, the upload budget: hostile and heavy ledger files under the size cap are refused or read
within 5 s, with peak RSS under 300 MB.

Each file is read by `lib.ledger.read_ledger` (parse + dry run against a seeded database) in a child
process of its own, so the child's peak RSS (ru_maxrss) is that one upload's (plus the imports, printed
separately as the baseline). `python -m bench.uploads --quick` runs it alone.
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BUDGET_S, BUDGET_MB = 5.0, 300
CENTRE = "光武街道综合养老服务中心"
SHEET = "xl/worksheets/sheet1.xml"
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
HEAD = '<?xml version="1.0" encoding="UTF-8"?>'


def _template(kind: str = "每日入住", rows=None) -> bytes:
    import pandas as pd

    from lib.ledger import template_xlsx
    from lib.ledger_kinds import KINDS

    return template_xlsx(kind, rows=pd.DataFrame(rows or [], columns=KINDS[kind].headers))


def _rezip(parts: dict[str, bytes]) -> bytes:
    """The template's parts with `parts` replaced or added."""
    base = zipfile.ZipFile(io.BytesIO(_template()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in base.infolist():
            z.writestr(info.filename, parts.get(info.filename, base.read(info.filename)))
        for name in set(parts) - set(base.namelist()):
            z.writestr(name, parts[name])
    return out.getvalue()


def _stream_zeros(data: bytes, name: str, size: int) -> bytes:
    """`data` plus one entry of `size` zero bytes, deflated as it is written (a classic bomb)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for info in src.infolist():
            z.writestr(info, src.read(info.filename))
        chunk = b"\0" * (4 * 1024 * 1024)
        info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w", force_zip64=True) as fh:
            for _ in range(size // len(chunk)):
                fh.write(chunk)
    return out.getvalue()


def _occupancy_sheet(rows: int, *, junk_columns: int = 0, rng: random.Random) -> bytes:
    words = ["".join(rng.choice("甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥") for _ in range(6)) for _ in range(4000)]
    out = [HEAD, f"<worksheet {NS}><sheetData>",
           '<row r="1"><c r="A1" t="inlineStr"><is><t>机构</t></is></c><c r="B1" t="inlineStr"><is><t>日期</t></is></c>'
           '<c r="C1" t="inlineStr"><is><t>入住人数</t></is></c></row>']
    day = dt.date(1990, 1, 1)
    for r in range(2, rows + 2):
        junk = "".join(f'<c t="inlineStr"><is><t>{rng.choice(words)}</t></is></c>' for _ in range(junk_columns))
        out.append(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{CENTRE}</t></is></c>'
                   f'<c r="B{r}" t="inlineStr"><is><t>{day + dt.timedelta(days=r)}</t></is></c>'
                   f'<c r="C{r}"><v>{40 + r % 7}</v></c>{junk}</row>')
    out.append("</sheetData></worksheet>")
    return "".join(out).encode()


def _shared_strings(n: int) -> bytes:
    body = "".join(f"<si><t>{i:x}</t></si>" for i in range(n))
    return f'{HEAD}<sst {NS} count="{n}" uniqueCount="{n}">{body}</sst>'.encode()


def _content_types_with_shared_strings() -> bytes:
    types = zipfile.ZipFile(io.BytesIO(_template())).read("[Content_Types].xml").decode()
    override = ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
    return types.replace("</Types>", override + "</Types>").encode()


def build_cases(quick: bool) -> dict[str, tuple[str, str, bytes]]:
    """{case: (kind, file name, bytes)}; every file is under the upload cap (MAX_UPLOAD_MB)."""
    rng = random.Random(7)
    laughs = ('<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)) + "]>")
    sheet = _occupancy_sheet(3, rng=rng).decode()
    bomb_mb = 200 if quick else 1000
    legit_rows = 1000 if quick else 20000
    return {
        f"zip bomb ({bomb_mb} MB of zeros)": ("每日入住", "bomb.xlsx", _stream_zeros(_template(), "xl/media/pad.bin",
                                                                                   bomb_mb * 1024 * 1024)),
        "billion laughs (10^9 entities)": ("每日入住", "laughs.xlsx", _rezip(
            {SHEET: sheet.replace(HEAD, HEAD + laughs).replace("<t>机构</t>", "<t>&j;</t>").encode()})),
        "truncated sheet XML": ("每日入住", "cut.xlsx", _rezip({SHEET: sheet.encode()[:400]})),
        "sheet just under the inflated cap (1200 rows × 55 junk columns)": ("每日入住", "wide.xlsx", _rezip(
            {SHEET: _occupancy_sheet(1200, junk_columns=55, rng=rng)})),
        "shared strings just under the inflated cap": ("每日入住", "sst.xlsx", _rezip(
            {"xl/sharedStrings.xml": _shared_strings(45_000),
             "[Content_Types].xml": _content_types_with_shared_strings()})),
        "10 MB CSV of long notes": ("示范社区状态", "notes.csv", ("社区,状态,生效日期,备注\n" + "".join(
            f"火星{i},创建中,2024-01-05,{'长' * 150}\n" for i in range(20000))).encode("utf-8")),
        f"valid ledger, {legit_rows} rows (dry run included)": ("每日入住", "legit.xlsx", _template("每日入住", [
            [CENTRE, dt.date(1990, 1, 1) + dt.timedelta(days=i), 40] for i in range(legit_rows)])),
    }


def _hwm_mb() -> float:
    """Peak RSS of this process image (VmHWM; ru_maxrss would carry the parent's peak across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(case_file: str, kind: str, name: str, db_url: str) -> dict:
    """In the child: read one upload, report time (parsing alone, and with the dry run), outcome, peak RSS."""
    from lib import ledger
    from lib.db import get_engine
    from lib.errors import DashboardError

    data = Path(case_file).read_bytes()
    engine = get_engine(db_url)
    base = _hwm_mb()
    parse = {}
    load_rows = ledger.load_rows

    def timed(*args, **kw):
        t0 = time.perf_counter()
        try:
            return load_rows(*args, **kw)
        finally:
            parse["s"] = time.perf_counter() - t0

    ledger.load_rows = timed
    t, cpu = time.perf_counter(), time.process_time()
    try:
        preview = ledger.read_ledger(data, name, kind, engine=engine, today=dt.date(2026, 1, 1),
                                     max_bytes=10 * 1024 * 1024)
        outcome = f"read {len(preview.rows)} rows, {len(preview.errors)} problems"
    except DashboardError as exc:
        outcome = "refused: " + exc.message[:70]
    return {"seconds": time.perf_counter() - t, "cpu_s": time.process_time() - cpu, "parse_s": parse.get("s", 0.0),
            "peak_mb": _hwm_mb(),
            "baseline_mb": base, "outcome": outcome, "load_avg": os.getloadavg()[0]}


def measure(work: Path, *, quick: bool, log=print) -> dict:
    from bench import report
    from lib.config import settings
    from lib.db import get_engine
    from lib.seed import seed

    db_url = f"sqlite:///{work / 'uploads.db'}"
    seed(get_engine(db_url))
    get_engine(db_url).dispose()
    cap = settings().max_upload_mb * 1024 * 1024
    out: dict = {"budget_s": BUDGET_S, "budget_mb": BUDGET_MB, "cap_mb": settings().max_upload_mb,
                 "limits": {"inflated_mb": settings().upload_max_inflated_mb, "ratio": settings().upload_max_ratio,
                            "entries": settings().upload_max_entries}, "cases": {}}
    for case, (kind, name, data) in build_cases(quick).items():
        assert len(data) <= cap, f"{case}: {len(data)} bytes is over the upload cap"
        path = work / f"upload-{len(out['cases'])}.bin"
        path.write_bytes(data)
        done = subprocess.run([sys.executable, "-m", "bench.uploads", "--child", str(path), kind, name, db_url],
                              cwd=REPO, capture_output=True, text=True, timeout=600, check=False)
        lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
        if done.returncode or not lines:
            res = {"error": f"child failed ({done.returncode}): {done.stderr[-400:]}"}
        else:
            res = {**json.loads(lines[-1]), "file_mb": len(data) / 1024 / 1024}
        out["cases"][case] = res
        log(report.uploads_details({"uploads": {**out, "cases": {case: res}}})[0])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--child", nargs=4, metavar=("FILE", "KIND", "NAME", "DB_URL"))
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(*args.child), ensure_ascii=False))
        return 0
    with tempfile.TemporaryDirectory(prefix="guangwu-uploads-") as tmp:
        result = measure(Path(tmp), quick=args.quick)
    from bench import report

    print(report.render([report.uploads_row(result)], {}))
    print("\n".join(report.uploads_details({"uploads": result})))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
