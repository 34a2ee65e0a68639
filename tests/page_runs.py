"""One way for tests to open a dashboard page in AppTest with a selection (community, as-of date)."""
from __future__ import annotations

import datetime as dt

from streamlit.testing.v1 import AppTest

from tests.test_pages_apptest import APP, assert_clean


def open_page(page: str | None, community: str | None = None, as_of: dt.date | None = None,
              *, at: AppTest | None = None) -> AppTest:
    """app.py with the sidebar selection set, then `pages/<page>.py` (None: the overview); asserts the page drew
    no exception and no unintended error."""
    at = at or AppTest.from_file(APP, default_timeout=60)
    at.session_state["community"] = community
    if as_of:
        at.session_state["as_of"] = as_of
    at.run()
    if page:
        at.switch_page(f"pages/{page}.py").run()
    assert_clean(at, page or "overview")
    return at
