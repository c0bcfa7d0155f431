"""What an e-office system reads about an outgoing document: the PDF's properties and the JSON sidecar.

The fields are those the document exchange carries for an outgoing document (Decree 30, Phụ lục VI,
Part II §I). They are taken from the document tree as printed, so the sidecar says what the page says.
The DOCX's core properties carry the title, issuing units, number and symbol; LibreOffice copies them
into the PDF's Info dictionary and XMP, where e-office systems read them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from kehoach.write.output import write_atomic
from kehoach.tree import VanBan

SCHEMA = Path(__file__).parents[1] / "data" / "van-ban-di.schema.json"
CREATOR = "kehoach"


def number_and_symbol(doc: VanBan) -> tuple[str | None, str]:
    """The number (None when left blank for the clerk to fill in) and the symbol, as the header prints them."""
    number, _, symbol = doc.phan_dau.so_ky_hieu.removeprefix("Số:").partition("/")
    return number.strip() or None, symbol.strip()


def title(doc: VanBan) -> str:
    """The document's type and abstract on one line: "Kế hoạch Phối hợp tổ chức …"."""
    return " ".join(doc.tieu_de_tep.split())


def authors(doc: VanBan) -> str:
    """The issuing unit(s), joined as a reader lists them."""
    return "; ".join(" ".join(body.ten.split()) for body in doc.phan_dau.co_quan)


def subject(doc: VanBan) -> str:
    """The number and symbol as printed, blanks squeezed: "Số: 07/KH-MNHS"."""
    return " ".join(doc.phan_dau.so_ky_hieu.split())


def keywords(doc: VanBan) -> str:
    """Words without spaces (LibreOffice splits the PDF's keywords at spaces): the symbol, the issue year, kehoach."""
    number, symbol = number_and_symbol(doc)
    words = [f"{number}/{symbol}" if number else symbol, str(doc.ngay.year) if doc.ngay else "", CREATOR]
    return ", ".join(word for word in words if word)


def record(doc: VanBan) -> dict:
    """The sidecar's fields that come from the document (all but the files and the page count)."""
    number, symbol = number_and_symbol(doc)
    return {
        # Only a công văn has no title line (Phụ lục I §II.5.b); its abstract is the header's "V/v …".
        "ten_loai": (doc.ten_loai.ten_loai or "Công văn").capitalize(),
        "so": number,
        "ky_hieu": symbol,
        "ngay_ban_hanh": doc.ngay.isoformat() if doc.ngay else None,
        "co_quan_ban_hanh": [" ".join(body.ten.split()) for body in doc.phan_dau.co_quan],
        "trich_yeu": " ".join(doc.trich_yeu.split()),
        "nguoi_ky": [{"quyen_han": " ".join(sign.quyen_han.split()), "chuc_vu": " ".join(sign.chuc_vu.split()),
                      "ho_ten": sign.ho_ten} for sign in doc.chu_ky],
        "noi_nhan": list(doc.noi_nhan.cac_noi),
        "do_khan": doc.phan_dau.do_khan.capitalize() or None,
    }


def page_count(pdf: Path) -> int | None:
    """Pages of a PDF LibreOffice wrote (its page tree's /Count, uncompressed there), or None if unreadable."""
    try:
        data = pdf.read_bytes()
    except OSError:
        return None
    counts = [int(count) for count in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", data)]
    counts += [int(count) for count in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", data)]
    return max(counts, default=None)


def sidecar_path(docx: Path) -> Path:
    """Where a document's sidecar goes: beside it, same name, .json."""
    return docx.with_suffix(".json")


def write_sidecar(docx: Path, fields: dict, pdf: Path | None) -> Path:
    """Write the sidecar of one document in one step; the page count comes from its PDF (null without one)."""
    content = {
        **fields,
        "so_trang": page_count(pdf) if pdf else None,
        "tep": {"docx": docx.name, "pdf": pdf.name if pdf else None},
    }
    path = sidecar_path(docx)
    write_atomic(path, (json.dumps(content, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return path
