"""The document types kehoach writes, as data: name, symbol, how many units, what each needs. Pure: no I/O.

Everything that differs by type is a field of its row here (plus its templates in templates/<ma>/): the model
validates against the row, compose.py builds the tree from it, and the writer lays the tree out without
knowing the type. Symbols are Decree 30/2020/NĐ-CP, Phụ lục III, "Bảng chữ viết tắt tên loại".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True)
class KieuChuKy:
    """How a type's signature blocks are laid out (sign.*)."""

    moi_don_vi: bool  # each issuing unit signs its own block, side by side; otherwise one signer may sign for all
    dau_khoi: str = ""  # printed before the unit's name heading each block of a joint document (sign.dai-dien)


# One block for a unit; a joint document's heads side by side, each under its unit's name (sign.joint).
THU_TRUONG = KieuChuKy(moi_don_vi=False)
# The parties of an agreement: every party signs, each block headed "ĐẠI DIỆN <party>" (sign.dai-dien).
DAI_DIEN = KieuChuKy(moi_don_vi=True, dau_khoi="ĐẠI DIỆN ")

class KinhGuiRule(Enum):
    """Whether a type has a "Kính gửi:" part (Mẫu 1.4, 1.5; I §II.9)."""

    KHONG = "không có"  # it addresses no one: a memorandum's parties, a decision's executing article
    CO_THE = "có thể"  # a document that goes upward may name whom it goes to (a plan, a report)
    BAT_BUOC = "bắt buộc"  # a công văn or tờ trình always does


# Body levels (the YAML keys of a part) as a clerk reads them in a message.
TEN_CAP = {"dieu": "Điều 1.", "muc": "I.", "khoan": "1.", "tiet": "1.1.", "diem": "a)", "gach": "-", "cong": "+",
           "doan": "đoạn văn"}
CAP_MUC = ("muc", "khoan", "tiet", "diem", "gach", "cong", "doan")  # a plan's or report's sections
CAP_DIEU = ("dieu", "khoan", "tiet", "diem", "gach", "cong", "doan")  # articles, then their clauses


@dataclass(frozen=True)
class LoaiVanBan:
    """One document type."""

    ma: str  # the YAML value of `loai`, also the template folder's name
    ten: str  # the type's name as printed under the header (title.ten-loai)
    viet_tat: tuple[str, ...]  # the type's abbreviations (Phụ lục III) a symbol may start with; the first is the decree's
    so_don_vi: tuple[int, int]  # fewest and most issuing units
    can_noi_nhan: bool  # whether "Nơi nhận" is required
    truong_rieng: tuple[str, ...] = ()  # fields of the document file only this type uses
    so_ban: int = 4  # copies made when the file does not say (so_ban); a memorandum's, half for each party
    chu_ky: KieuChuKy = THU_TRUONG  # the signature layout
    cap: tuple[str, ...] = CAP_MUC  # body levels the type allows (num.*, dieu.*)
    cap_ngoai: tuple[str, ...] = ()  # levels the top parts must have, when only some may ("dieu": the body is articles)
    mo_dau: str = "mo_dau.j2"  # the opening after the căn cứ, in templates/<ma>/; "" none
    ket_thuc: str = "ket_thuc.j2"  # the closing sentence, in templates/<ma>/; "" none: the body's end takes "./."
    tham_quyen: bool = False  # an authority line between the abstract and the căn cứ (qd.tham-quyen)
    dong_quyet_dinh: str = ""  # the line between the căn cứ and the articles, "QUYẾT ĐỊNH:" (qd.quyet-dinh)
    dieu_thi_hanh: bool = False  # the last article names who carries it out; Nơi nhận opens "Như Điều <it>"
    tieu_de: bool = True  # a title line (title.ten-loai); a công văn has none: its abstract is "V/v …" under the number
    kinh_gui: KinhGuiRule = KinhGuiRule.CO_THE  # whether a "Kính gửi:" part is refused, allowed or required

    @property
    def ten_thuong(self) -> str:
        """The type's name in a sentence: "kế hoạch", "biên bản ghi nhớ"."""
        return self.ten.lower()


LOAI: dict[str, LoaiVanBan] = {
    "ke_hoach": LoaiVanBan("ke_hoach", "KẾ HOẠCH", ("KH",), (1, 2), can_noi_nhan=True),
    # Phụ lục III calls the type "Bản ghi nhớ" (BGN); the campaign's offices title it "Biên bản ghi nhớ"
    # and often number it "…/BBGN-…", so both symbols are accepted. "BB" alone is a meeting's biên bản.
    "bien_ban_ghi_nho": LoaiVanBan("bien_ban_ghi_nho", "BIÊN BẢN GHI NHỚ", ("BGN", "BBGN"), (2, 2),
                                   can_noi_nhan=False, truong_rieng=("dia_diem", "so_ban"), chu_ky=DAI_DIEN,
                                   kinh_gui=KinhGuiRule.KHONG,
                                   cap=CAP_DIEU),
    "bao_cao": LoaiVanBan("bao_cao", "BÁO CÁO", ("BC",), (1, 2), can_noi_nhan=True),
    # Mẫu 1.2/1.3 of Phụ lục III: one issuer, its authority line, căn cứ closed by "Theo đề nghị …", "QUYẾT ĐỊNH:",
    # then articles (khoản, điểm under them: no 1.1.), the last one naming who carries it out; no opening or closing.
    "quyet_dinh": LoaiVanBan("quyet_dinh", "QUYẾT ĐỊNH", ("QĐ",), (1, 1), can_noi_nhan=True,
                             truong_rieng=("tham_quyen", "de_nghi"),
                             cap=("dieu", "khoan", "diem", "gach", "cong", "doan"), cap_ngoai=("dieu",),
                             mo_dau="", ket_thuc="", tham_quyen=True, dong_quyet_dinh="QUYẾT ĐỊNH:",
                             dieu_thi_hanh=True, kinh_gui=KinhGuiRule.KHONG),
    # Mẫu 1.5: no type abbreviation, the symbol is the issuer's then the drafting unit's ("12/MNHS-VP"); no
    # standard opening: the body starts with the clerk's own first paragraph.
    "cong_van": LoaiVanBan("cong_van", "CÔNG VĂN", (), (1, 2), can_noi_nhan=True, mo_dau="",
                           tieu_de=False, kinh_gui=KinhGuiRule.BAT_BUOC),
    # Mẫu 1.4 with "Kính gửi:"; Phụ lục III writes its abbreviation "TTr".
    "to_trinh": LoaiVanBan("to_trinh", "TỜ TRÌNH", ("TTr",), (1, 2), can_noi_nhan=True,
                           kinh_gui=KinhGuiRule.BAT_BUOC),
}
MAC_DINH = "ke_hoach"  # the type of a file that does not say (loai)
TRUONG_RIENG = tuple(sorted({field for kind in LOAI.values() for field in kind.truong_rieng}))


# Phụ lục III, Mục I: the abbreviations of the types' names. A công văn's symbol starts with its issuer, never
# with one of these, nor with "CV", which offices sometimes invent for it (so-ky-hieu.format).
TEN_VIET_TAT = ("NQ", "QĐ", "CT", "QC", "QyĐ", "TC", "TB", "HD", "CTr", "KH", "PA", "ĐA", "DA", "BC", "BB", "TTr",
                "HĐ", "CĐ", "BGN", "BTT", "GUQ", "GM", "GGT", "GNP", "PG", "PC", "PB", "CV")


def symbol_problem(loai: str, ky_hieu: str) -> str | None:
    """Why a symbol does not fit the type (number.format, so-ky-hieu.format), in Vietnamese; None when it does."""
    kind = LOAI[loai]
    first = ky_hieu.split("-", 1)[0].upper()
    if not kind.viet_tat:
        taken = next((abbr for abbr in TEN_VIET_TAT if first == abbr.upper()), None)
        if taken is None:
            return None
        fix = f"bỏ '{ky_hieu.split('-', 1)[0]}-': {ky_hieu.split('-', 1)[1]}" if "-" in ky_hieu else "MNHS-VP"
        return (f"ký hiệu '{ky_hieu}' bắt đầu bằng '{taken}', mà {kind.ten_thuong} không có chữ viết tắt tên loại: "
                "ký hiệu gồm chữ viết tắt tên đơn vị ban hành, rồi của bộ phận soạn thảo (Nghị định 30/2020/NĐ-CP, "
                f"Phụ lục I, mục II.3.b) — sửa thành, ví dụ: {fix}")
    if any(first.startswith(symbol.upper()) for symbol in kind.viet_tat):
        return None
    allowed = " hoặc ".join(kind.viet_tat)
    return (f"ký hiệu '{ky_hieu}' không hợp với loại văn bản: {kind.ten_thuong} có ký hiệu bắt đầu bằng {allowed} "
            f"(Phụ lục III, Nghị định 30/2020/NĐ-CP) — sửa thành, ví dụ: {kind.viet_tat[0]}-{ky_hieu.split('-', 1)[-1]}")


def level_problem(kind: LoaiVanBan, cap: str, top: bool) -> tuple[str, str] | None:
    """Why a part of level cap may not stand where it does in a document of this type, and the fix; None if it may."""
    if not top and cap == "dieu":  # an article holds clauses, never another article (I §II.6.đ)
        return ("`dieu` (Điều 1.) chỉ đứng ở cấp ngoài cùng của nội dung, không nằm trong phần khác",
                "đưa `- dieu:` ra thẳng hàng với các điều khác, hoặc đổi thành khoản: `- khoan:`")
    allowed = kind.cap_ngoai if top and kind.cap_ngoai else [c for c in kind.cap if top or c != "dieu"]
    if cap in allowed:
        return None
    where = " ở cấp ngoài cùng" if top and kind.cap_ngoai else ""
    return (f"{kind.ten_thuong} không dùng `{cap}` ({TEN_CAP[cap]}){where}",
            f"nội dung {kind.ten_thuong}{where} dùng: {', '.join(f'`{c}` ({TEN_CAP[c]})' for c in allowed)}")
