"""The CJK font the pack embeds (Debian's fonts-noto-cjk, installed by `make browser-deps`)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lib.errors import DashboardError

FAMILY = "Noto Sans CJK SC"
FONT_DIRS = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/noto-cjk", "/usr/share/fonts/google-noto-cjk")


class FontMissing(DashboardError):
    """No CJK font to embed: the pack would print boxes instead of Chinese."""


@lru_cache(maxsize=1)
def font_dir() -> str:
    for d in FONT_DIRS:
        if any(Path(d).glob("NotoSansCJK*")):
            return d
    raise FontMissing("未找到中文字体（Noto Sans CJK），无法生成简报 PDF；请安装 fonts-noto-cjk（make browser-deps）。")
