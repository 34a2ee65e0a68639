"""ui.widgets.md_escape: stored staff text, drawn as Markdown, reads exactly as it was typed."""
from __future__ import annotations

import html
import re
import string

import pytest

from shown_text import shown
from ui.widgets import md_escape

CASES = [
    "x\n===",                          # setext heading
    "x\n---",                          # setext heading / thematic break
    "&lt;b&gt;",                       # HTML entities decoded
    "&amp;",
    "a *b* _c_",                       # emphasis
    "# h",                             # ATX heading
    "1. item",                         # ordered list
    "- item",                          # bullet list
    "> q",                             # block quote
    "    code after\n\n    indented",  # indented code block
    "x\n\n\tindented",                 # tab-indented code block
    "[l](http://x)",                   # link
    "<http://x>",                      # autolink
    "`c`",                             # code span
    "~~s~~",                           # strikethrough (GFM)
    ":red[x]",                         # Streamlit colour directive
    ":material/home:",                 # Streamlit icon directive
    "$x$",                             # Streamlit math
    "<b>x</b>",                        # raw HTML
    "a\\b",                            # backslash
    "a\\*b",                           # backslash before punctuation
    "中兴社区 5/3 ok?",
    "社区「A」：100% 完成; 备注 @张三 ^_^ \"引号\" 'x' =",
    string.punctuation,
]


def _visible(markdown: str) -> tuple[str, set[str]]:
    """The text CommonMark renders `markdown` to (tags stripped, entities decoded), and the tags it used."""
    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").render(markdown)
    tags = set(re.findall(r"</?([a-zA-Z0-9]+)", rendered))
    return html.unescape(re.sub(r"<[^>]*>", "", rendered)), tags


def _norm(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


@pytest.mark.parametrize("text", CASES)
def test_rendered_text_is_the_stored_text(text):
    visible, tags = _visible(md_escape(text))
    assert _norm(visible) == _norm(text)
    assert tags <= {"p"}, f"{text!r} renders as {tags}"  # no heading, list, code, link, HTML: plain paragraphs


@pytest.mark.parametrize("text", CASES)
def test_every_ascii_punctuation_escaped(text):
    escaped = md_escape(text)
    unescaped = re.sub(r"\\[" + re.escape(string.punctuation) + "]", "", escaped)  # pairs, left to right
    assert not set(unescaped) & set(string.punctuation)
    assert _norm(shown(escaped)) == _norm(text)  # what tests read through shown_text


@pytest.mark.parametrize(("text", "escaped"), [
    ("a.b", "a\\.b"),
    ("x\n===", "x\n\\=\\=\\="),
    ("&amp;", "\\&amp\\;"),
    ("  two\n\tone", "\u00a0\u00a0two\n\u00a0\u00a0\u00a0\u00a0one"),
    ("a  b", "a  b"),  # spaces inside a line stay
    ("中文", "中文"),
])
def test_escaped_source(text, escaped):
    assert md_escape(text) == escaped
