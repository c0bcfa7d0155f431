"""The document types kehoach writes, as data: name, symbol, how many units, what each needs. Pure: no I/O.

The model validates against this table, compose.py takes the printed name and the template folder
(templates/<ma>/) from it. Symbols are Decree 30/2020/NĐ-CP, Phụ lục III, "Bảng chữ viết tắt tên loại".
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LoaiVanBan:
    """One document type."""

    ma: str  # the YAML value of `loai`, also the template folder's name
    ten: str  # the type's name as printed under the header (title.ten-loai)
    ky_hieu: tuple[str, ...]  # symbols the number's first group may start with; the first is the decree's
    so_don_vi: tuple[int, int]  # fewest and most issuing units
    can_noi_nhan: bool  # whether "Nơi nhận" is required
    dai_dien: bool = False  # signers sign as "ĐẠI DIỆN <unit>" (the parties of an agreement)
    truong_rieng: tuple[str, ...] = ()  # fields of the document file only this type uses
    so_ban: int = 4  # copies made when the file does not say (so_ban); a memorandum's, half for each party
    tieu_de: bool = True  # a title line (title.ten-loai); a công văn has none: its abstract is "V/v …" under the number
    kinh_gui: bool = False  # a "Kính gửi:" part is required (công văn, tờ trình); any type with recipients may have one

    @property
    def ten_thuong(self) -> str:
        """The type's name in a sentence: "kế hoạch", "biên bản ghi nhớ"."""
        return self.ten.lower()


LOAI: dict[str, LoaiVanBan] = {
    "ke_hoach": LoaiVanBan("ke_hoach", "KẾ HOẠCH", ("KH",), (1, 2), can_noi_nhan=True),
    # Phụ lục III calls the type "Bản ghi nhớ" (BGN); the campaign's offices title it "Biên bản ghi nhớ"
    # and often number it "…/BBGN-…", so both symbols are accepted. "BB" alone is a meeting's biên bản.
    "bien_ban_ghi_nho": LoaiVanBan("bien_ban_ghi_nho", "BIÊN BẢN GHI NHỚ", ("BGN", "BBGN"), (2, 2),
                                   can_noi_nhan=False, dai_dien=True, truong_rieng=("dia_diem", "so_ban")),
    "bao_cao": LoaiVanBan("bao_cao", "BÁO CÁO", ("BC",), (1, 2), can_noi_nhan=True),
    # Mẫu 1.5: no type abbreviation, the symbol is the issuer's then the drafting unit's ("12/MNHS-VP").
    "cong_van": LoaiVanBan("cong_van", "CÔNG VĂN", (), (1, 2), can_noi_nhan=True,
                           tieu_de=False, kinh_gui=True),
    # Mẫu 1.4 with "Kính gửi:"; Phụ lục III writes its abbreviation "TTr".
    "to_trinh": LoaiVanBan("to_trinh", "TỜ TRÌNH", ("TTr",), (1, 2), can_noi_nhan=True,
                           kinh_gui=True),
}
MAC_DINH = "ke_hoach"  # the type of a file that does not say (loai)


# Phụ lục III, Mục I: the abbreviations of the types' names. A công văn's symbol starts with its issuer, never
# with one of these, nor with "CV", which offices sometimes invent for it (so-ky-hieu.format).
TEN_VIET_TAT = ("NQ", "QĐ", "CT", "QC", "QyĐ", "TC", "TB", "HD", "CTr", "KH", "PA", "ĐA", "DA", "BC", "BB", "TTr",
                "HĐ", "CĐ", "BGN", "BTT", "GUQ", "GM", "GGT", "GNP", "PG", "PC", "PB", "CV")


def symbol_problem(loai: str, ky_hieu: str) -> str | None:
    """Why a symbol does not fit the type (number.format, so-ky-hieu.format), in Vietnamese; None when it does."""
    kind = LOAI[loai]
    first = ky_hieu.split("-", 1)[0].upper()
    if not kind.ky_hieu:
        taken = next((abbr for abbr in TEN_VIET_TAT if first == abbr.upper()), None)
        if taken is None:
            return None
        fix = f"bỏ '{ky_hieu.split('-', 1)[0]}-': {ky_hieu.split('-', 1)[1]}" if "-" in ky_hieu else "MNHS-VP"
        return (f"ký hiệu '{ky_hieu}' bắt đầu bằng '{taken}', mà {kind.ten_thuong} không có chữ viết tắt tên loại: "
                "ký hiệu gồm chữ viết tắt tên đơn vị ban hành, rồi của bộ phận soạn thảo (Nghị định 30/2020/NĐ-CP, "
                f"Phụ lục I, mục II.3.b) — sửa thành, ví dụ: {fix}")
    if any(first.startswith(symbol.upper()) for symbol in kind.ky_hieu):
        return None
    allowed = " hoặc ".join(kind.ky_hieu)
    return (f"ký hiệu '{ky_hieu}' không hợp với loại văn bản: {kind.ten_thuong} có ký hiệu bắt đầu bằng {allowed} "
            f"(Phụ lục III, Nghị định 30/2020/NĐ-CP) — sửa thành, ví dụ: {kind.ky_hieu[0]}-{ky_hieu.split('-', 1)[-1]}")
