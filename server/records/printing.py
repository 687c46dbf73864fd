"""A4 documents in Chinese with fpdf2: the page frame every printed form shares.

Noto Sans CJK's Simplified Chinese face (face 2 of the collection) is
embedded, subset to the characters used; WenQuanYi Micro Hei is the
fallback. Text wraps by character, as Chinese does.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from fpdf import FPDF, FontFace
from fpdf.enums import Align, WrapMode, XPos, YPos

from server.settings import data_dir
from shared.errors import SuichaError, define

__all__ = ["CHINA", "FONT_MISSING", "ChineseDocument", "china_time", "printed_once"]

CHINA = ZoneInfo("Asia/Shanghai")
FONT_MISSING = define(
    "records.font_missing",
    500,
    "服务器缺少中文字体，无法生成文书，请安装思源黑体字体包（fonts-noto-cjk）",
    "No Chinese font on the server; install fonts-noto-cjk to print forms",
)
_FONTS: tuple[tuple[Path, int], ...] = (
    (Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"), 2),
    (Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"), 2),
    (Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"), 0),
)
_FAMILY = "SuichaCJK"


def china_time(value: str | datetime | None, *, seconds: bool = False) -> str:
    """A moment as China Standard Time, to the minute (or second)."""
    if value is None or value == "":
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


class ChineseDocument(FPDF):
    """A4 portrait with a title, the issuing body in the header and page numbers."""

    def __init__(self, *, title: str, issuer: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.doc_title = title
        self.issuer = issuer
        for path, face in _FONTS:
            if path.is_file():
                self.add_font(_FAMILY, "", str(path), collection_font_number=face)
                break
        else:
            raise SuichaError(FONT_MISSING)
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_title(title)
        self.set_creator("随查 Suicha")
        self.alias_nb_pages()
        self.add_page()

    def header(self) -> None:
        self.set_font(_FAMILY, size=8)
        self.set_text_color(110)
        self.cell(0, 5, self.issuer, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align=Align.R)
        self.set_text_color(0)
        if self.page_no() == 1:
            self.set_font(_FAMILY, size=16)
            self.cell(0, 11, self.doc_title, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align=Align.C)
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(_FAMILY, size=8)
        self.set_text_color(110)
        self.cell(0, 5, f"第 {self.page_no()} 页 / 共 {{nb}} 页", align=Align.C)
        self.set_text_color(0)

    def section(self, title: str) -> None:
        self.ln(2)
        self.set_font(_FAMILY, size=11.5)
        self.set_fill_color(232, 238, 246)
        self.cell(0, 7, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT, fill=True)
        self.ln(1)

    def fields(self, rows: Sequence[tuple[str, str]], *, label_width: float = 38) -> None:
        """Label–value lines; long values wrap by character under their own column."""
        self.set_font(_FAMILY, size=9.5)
        width = self.epw - label_width
        for label, value in rows:
            self.set_text_color(80)
            x, y = self.get_x(), self.get_y()
            self.multi_cell(label_width, 5.6, label, new_x=XPos.RIGHT, new_y=YPos.TOP)
            self.set_text_color(0)
            self.multi_cell(
                width,
                5.6,
                value or "—",
                wrapmode=WrapMode.CHAR,
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
            self.set_xy(self.l_margin, max(self.get_y(), y + 5.6))
            del x

    def paragraph(self, text: str, *, size: float = 9.5) -> None:
        self.set_font(_FAMILY, size=size)
        self.multi_cell(0, 5.4, text, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def grid(
        self, headings: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]
    ) -> None:
        """A table that repeats its heading on every page and wraps cells by character."""
        self.set_font(_FAMILY, size=8.5)
        with self.table(
            col_widths=tuple(widths),
            headings_style=FontFace(fill_color=(232, 238, 246)),
            line_height=4.8,
            wrapmode=WrapMode.CHAR,
            repeat_headings=1,
            text_align="LEFT",
        ) as table:
            table.row(headings)
            for values in rows:
                table.row([str(v) for v in values])

    def signature_lines(self, signers: Sequence[str]) -> None:
        """Lines for handwritten signatures and dates, kept together on one page."""
        needed = 14 * len(signers) + 6
        if self.get_y() + needed > self.h - self.b_margin:
            self.add_page()
        self.ln(4)
        self.set_font(_FAMILY, size=10)
        for signer in signers:
            self.cell(
                0,
                12,
                f"{signer}（签字）：____________________    日期：______年____月____日",
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )

    def to_bytes(self) -> bytes:
        return bytes(self.output())


def printed_once(key: str, make: Callable[[], bytes]) -> bytes:
    """A printed form kept under `<data folder>/printed/<key>.pdf`, made on first need.

    Printing a Chinese PDF (font subsetting) costs far more than reading it back, and
    the same content always prints the same way, so the key is a hash of the content
    (with the layout's version). Written through a rename: never half a file.
    """
    path = data_dir() / "printed" / f"{key}.pdf"
    if path.is_file():
        return path.read_bytes()
    data = make()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    partial.write_bytes(data)
    partial.replace(path)
    return data
