"""The document tree: what a document says, part by part, named after Decree 30's components (Phụ lục I).

Composed from the model by compose.py, laid out by docx/writer.py. The tree holds final text
(numbers, labels and punctuation already decided) and no layout: sizes, fonts and positions are
the writer's.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from enum import Enum


@dataclass(frozen=True)
class Run:
    """A stretch of text with its emphasis, as the author marked it (*nghiêng*, **đậm**)."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class CoQuan:
    """Ô 2: one issuing body with its managing body (cơ quan chủ quản) above it."""

    ten: str
    chu_quan: str = ""


@dataclass(frozen=True)
class PhanDau:
    """The header: issuing bodies (ô 2), number and symbol (ô 3), place and date (ô 4)."""

    co_quan: tuple[CoQuan, ...]
    so_ky_hieu: str  # "Số: 586/KH-GDNN-GDTXTT", or with the number left blank
    dia_danh_ngay: str  # "Ngọc Hồi, ngày 16 tháng 9 năm 2025"
    trich_yeu: str = ""  # ô 5b: a công văn's abstract under the number, "V/v gửi Kế hoạch …"
    do_khan: str = ""  # ô 10b: the urgency mark boxed under the number, "KHẨN"
    luu_hanh: str = ""  # ô 11: the circulation mark boxed above the national title, "LƯU HÀNH NỘI BỘ"


@dataclass(frozen=True)
class TenLoai:
    """Ô 5a: the document type's name (KẾ HOẠCH) and the abstract (trích yếu) under it; both "" for a công văn,
    whose abstract is the header's (ô 5b)."""

    ten_loai: str
    trich_yeu: str


class Cap(Enum):
    """Levels of the body, each with its own label and weight (num.*)."""

    DIEU = "dieu"  # Điều 1.
    MUC = "muc"  # I.
    KHOAN = "khoan"  # 1.
    TIET = "tiet"  # 1.1.
    DIEM = "diem"  # a)
    GACH = "gach"  # -
    CONG = "cong"  # +
    DOAN = "doan"  # a paragraph without a label


@dataclass(frozen=True)
class Doan:
    """A body paragraph: its level, its label as the reader sees it, its text, and whether it is a title."""

    cap: Cap
    runs: tuple[Run, ...]
    nhan: str = ""  # "Điều 1.", "I.", "1.", "1.1.", "a)", "-", "+"
    tieu_de: bool = False  # a titled clause, bold title on its own line; an article's title (bold after its label)
    can_cu: bool = False  # a legal basis (italic per the decree)


@dataclass(frozen=True)
class Bang:
    """A table in the body: a header row repeated on each page, then rows of cell texts."""

    tieu_de_cot: tuple[str, ...]
    dong: tuple[tuple[str, ...], ...]
    do_rong: tuple[float, ...]  # relative column widths


@dataclass(frozen=True)
class ChuKy:
    """Ô 7: one signature block: unit line (joint documents), authority, title, room to sign, name."""

    chuc_vu: str
    ho_ten: str
    quyen_han: str = ""  # "KT. HIỆU TRƯỞNG", "TM. BAN GIÁM HIỆU": printed on its own line
    don_vi: str = ""  # "TRƯỜNG MN HOA SỮA QUẬN LONG BIÊN" above the title in a joint document


@dataclass(frozen=True)
class NoiNhan:
    """Ô 9b: the recipients, each without its "- " and final punctuation, and the file copy."""

    cac_noi: tuple[str, ...]
    luu: str  # "VT" or "VT, TTr (02)"


@dataclass(frozen=True)
class DongQuyetDinh:
    """The line between a decision's căn cứ and its articles: "QUYẾT ĐỊNH:" (qd.quyet-dinh)."""

    text: str


@dataclass(frozen=True)
class KinhGui:
    """Ô 9a: the bodies the document is addressed to, after "Kính gửi:", each without "- " and final punctuation."""

    cac_noi: tuple[str, ...]


Khoi = Doan | Bang | DongQuyetDinh


@dataclass(frozen=True)
class VanBan:
    """A whole document, in reading order."""

    phan_dau: PhanDau
    ten_loai: TenLoai
    than: tuple[Khoi, ...]  # legal bases, opening, body, closing sentence
    chu_ky: tuple[ChuKy, ...]
    noi_nhan: NoiNhan
    tieu_de_tep: str = ""  # the DOCX's core title property
    ngay: date | None = None  # the issue date, the DOCX's created and modified properties
    kinh_gui: KinhGui | None = None  # ô 9a, between the title (or the header) and the body
    tham_quyen: str = ""  # a decision's authority line under the abstract, "HIỆU TRƯỞNG TRƯỜNG …" (qd.tham-quyen)

    @property
    def trich_yeu(self) -> str:
        """The abstract as printed: under the title (ô 5a), or a công văn's "V/v …" under the number (ô 5b)."""
        return self.ten_loai.trich_yeu or self.phan_dau.trich_yeu


def dump(node: object) -> str:
    """The tree as text, one node a line and its parts indented under it, like pandoc's native format:
    what the golden snapshots compare, so that a change of content shows as a readable diff."""
    return "\n".join(_dump_lines(node, "")) + "\n"


def _dump_lines(node: object, indent: str) -> list[str]:
    head, below = [type(node).__name__], []
    for part in fields(node):
        value = getattr(node, part.name)
        if is_dataclass(value):
            below += _dump_lines(value, indent + "  ")
        elif isinstance(value, tuple) and value and (is_dataclass(value[0]) or isinstance(value[0], tuple)):
            for item in value:  # runs, blocks, issuing bodies, signatures, table rows: one a line
                below += _dump_lines(item, indent + "  ") if is_dataclass(item) else [f"{indent}  {part.name} {item!r}"]
        elif value != part.default:  # a value left at its default is not shown
            shown = value.name if isinstance(value, Enum) else value.isoformat() if isinstance(value, date) else repr(value)
            head.append(f"{part.name}={shown}")
    return [indent + " ".join(head), *below]
