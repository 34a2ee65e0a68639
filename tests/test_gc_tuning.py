"""ui/gc_tuning.py: a served process freezes what it keeps after its first complete run, once; AppTest and
`streamlit run app.py` (the entry does not enable it) keep Python's collector as it is. In a child process,
so this test process's own collector is left alone."""
from __future__ import annotations

from child_python import REPO, last_line

CHILD = """
import gc
from ui import gc_tuning
assert gc_tuning.freeze_after_first_run() is False and gc.get_freeze_count() == 0  # not enabled: nothing frozen
gc_tuning.enable()
assert gc_tuning.freeze_after_first_run() is True and gc.get_freeze_count() > 1000
frozen = gc.get_freeze_count()
junk = [[] for _ in range(5000)]
assert gc_tuning.freeze_after_first_run() is False and gc.get_freeze_count() == frozen  # once per process
import serve  # the served entry enables it
print("ok")
"""


def test_frozen_once_and_only_where_enabled():
    assert last_line(CHILD) == "ok"


def test_the_served_entries_enable_it_and_the_app_freezes_at_the_end_of_a_run():
    child = ("from ui import gc_tuning; import serve; assert gc_tuning._state['enabled']; "
             "gc_tuning._state['enabled'] = False; "
             "import bench.floor_serve; assert gc_tuning._state['enabled']; print('ok')")
    assert last_line(child) == "ok"
    for script in ("app.py", "bench/floor_app.py"):
        last = [ln for ln in (REPO / script).read_text(encoding="utf-8").splitlines() if ln.strip()][-1]
        assert last.startswith("gc_tuning.freeze_after_first_run()"), script
