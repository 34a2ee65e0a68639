"""ui/nav.py: each st.Page is built once per process and handed out as a copy of its own per call (st.navigation
marks the page it returns as runnable on the object; two sessions at once must not share that mark)."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _script():
    import streamlit as st

    from ui import nav

    path = st.session_state["path"]
    before = len(nav._built)
    a = nav.page(path, title="数据来源", url_path="gw_nav_test")
    b = nav.page(path, title="数据来源", url_path="gw_nav_test")
    a._can_be_called = True
    st.text(f"{len(nav._built) - before}|{a is not b}|{type(a) is type(b)}|{a.title}|{b.url_path}|"
            f"{getattr(b, '_can_be_called', False)}|{a._page == b._page}")


def test_one_build_many_copies():
    from child_python import REPO

    at = AppTest.from_function(_script, default_timeout=30)
    at.session_state["path"] = str(REPO / "pages" / "sources.py")
    at.run()
    assert not at.exception, at.exception
    assert at.text[0].value == "1|True|True|数据来源|gw_nav_test|False|True"
    at.run()  # the next run builds nothing
    assert at.text[0].value.startswith("0|True|")
