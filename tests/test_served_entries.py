"""The served entries (serve.py, bench/floor_serve.py) install each change they make to Streamlit's server;
AppTest, which imports neither, keeps Streamlit's own behaviour (deploy/wakeups.py, deploy/ws_writes.py)."""
from __future__ import annotations

import pytest
from child_python import last_line

ENTRIES = {
    "serve.py": "import serve",
    "bench/floor_serve.py": "import sys; sys.path.insert(0, 'bench'); import floor_serve",
    "AppTest": "from streamlit.testing.v1 import AppTest; AppTest.from_file('app.py', default_timeout=60).run()",
}


@pytest.mark.parametrize("module", ["wakeups", "ws_writes"])
@pytest.mark.parametrize(("entry", "expected"), [("serve.py", "True"), ("bench/floor_serve.py", "True"),
                                                 ("AppTest", "False")])
def test_installed_by_the_served_entries_only(module, entry, expected):
    assert last_line(f"{ENTRIES[entry]}; from deploy import {module}; print({module}.installed())") == expected
