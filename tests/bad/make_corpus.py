"""Writes the corpus of bad inputs: each file one mistake a clerk could make (or an attack).

Run from anywhere: `python tests/bad/make_corpus.py`; then `pytest tests/test_bad.py --update-golden`
writes each NAME.err, which is reviewed by hand before committing. Kept as a script because some
files must be real bytes (UTF-16, legacy Vietnamese code tables, decomposed Unicode).
"""

import codecs
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from support import cp1258  # noqa: E402 - Windows' own way of writing CP1258

from kehoach.input.textcodec import encode_legacy  # noqa: E402

BASE = """\
danh_sach_truong: truong-mau.yaml
don_vi:
  - truong: mn_hoa_sua
  - truong: mn_tien_phong_b
so:
ky_hieu: KH-MNHS-MNTPB
ngay: 20/3/2023
bien:
  phong_trao: Nhà trường cùng chung tay phát triển
trich_yeu: Phối hợp tổ chức phong trào “{{ phong_trao }}” giữa {{ cac_don_vi }}
can_cu:
  - 4340/KH-SGDĐT
noi_dung:
  - muc: Mục đích, yêu cầu
    noi_dung:
      - gach: Tăng cường kết nối giữa {{ cac_don_vi }}.
  - muc: Tổ chức thực hiện
    noi_dung:
      - gach: Báo cáo kết quả trước 15/6 hằng năm.
noi_nhan:
  - Phòng GD&ĐT quận Long Biên
luu: VT
"""

SCHOOLS = """\
truong:
  mn_hoa_sua:
    ten: Trường mầm non Hoa Sữa
    ten_ngan: MN Hoa Sữa
    co_quan_chu_quan: UBND QUẬN LONG BIÊN
    dia_ban: quận Long Biên
    dia_danh: Long Biên
    hieu_truong: Phạm Thị Miên
  mn_tien_phong_b:
    ten: Trường mầm non Tiên Phong B
    ten_ngan: MN Tiên Phong B
    co_quan_chu_quan: UBND HUYỆN MÊ LINH
    dia_ban: huyện Mê Linh
    dia_danh: Mê Linh
    hieu_truong: Phạm Thị Thúy Hương
"""


def edit(old: str, new: str, text: str = BASE) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


TEXT = {
    # YAML syntax
    "tab-thut-le": edit("  - muc: Tổ chức", "\t- muc: Tổ chức"),
    "ngoac-kep-chua-dong": edit("ky_hieu: KH-MNHS-MNTPB", 'ky_hieu: "KH-MNHS-MNTPB'),
    "ngoac-kep-chua-dong-cuoi-tep": BASE + 'mo_dau: "Hai trường xây dựng kế hoạch\n',
    "ngoac-don-chua-dong": edit("luu: VT", "luu: 'VT"),
    "thieu-hai-cham": edit("luu: VT", "luu VT"),
    "truong-lap-lai": edit("luu: VT", "luu: VT\nluu: VT, TTr"),
    "truong-lap-lai-long-nhau": edit("  - muc: Mục đích, yêu cầu\n", "  - muc: Mục đích, yêu cầu\n    muc: Mục đích\n"),
    "thut-le-lech": edit("luu: VT", " luu: VT"),
    "hai-cham-trong-cau": edit("      - gach: Báo cáo kết quả trước 15/6 hằng năm.",
                               "      - gach: Báo cáo kết quả: trước 15/6 hằng năm."),
    "cau-ket-thuc-hai-cham": edit("      - gach: Báo cáo kết quả trước 15/6 hằng năm.",
                                  "      - Các trường thực hiện như sau:"),
    "tham-chieu-chua-dinh-nghia": edit("luu: VT", "luu: *vt"),
    "bat-dau-bang-a-cong": edit("luu: VT", "luu: @VT"),
    "the-python": edit("luu: VT", "luu: !!python/object/apply:os.system [echo]"),
    "the-tu-dat": edit("luu: VT", "luu: !vt VT"),
    "tep-rong": "",
    "chi-co-ghi-chu": "# kế hoạch chưa viết\n",
    "khong-phai-nhom-truong": "- a\n- b\n",
    # keys and fields
    "truong-la": edit("luu: VT", "luu: VT\nnguoi_nhan: Ban giám hiệu"),
    "truong-sai-chinh-ta": edit("ky_hieu:", "ki_hieu:"),
    "truong-la-trong-muc": edit("  - muc: Tổ chức thực hiện", "  - muc: Tổ chức thực hiện\n    noidung: x"),
    "thieu-ky-hieu": edit("ky_hieu: KH-MNHS-MNTPB\n", ""),
    "thieu-nhieu-truong": edit("noi_nhan:\n  - Phòng GD&ĐT quận Long Biên\n", "", edit("trich_yeu:", "# trich_yeu:")),
    "noi-nhan-khong-phai-danh-sach": edit("noi_nhan:\n  - Phòng GD&ĐT quận Long Biên", "noi_nhan: Phòng GD&ĐT quận Long Biên"),
    "noi-dung-la-chu": edit("noi_dung:\n  - muc: Mục đích, yêu cầu", "noi_dung: Mục đích\nx:\n  - muc: Mục đích, yêu cầu"),
    "bien-la-danh-sach": edit("bien:\n  phong_trao: Nhà trường cùng chung tay phát triển", "bien:\n  - phong_trao"),
    "hai-khoa-cap": edit("      - gach: Báo cáo", "      - khoan: Báo cáo\n        gach: Báo cáo"),
    "ba-don-vi": edit("  - truong: mn_tien_phong_b", "  - truong: mn_tien_phong_b\n  - truong: mn_hoa_sua"),
    "quyen-han-sai": BASE + "nguoi_ky:\n  - chuc_vu: HIỆU TRƯỞNG\n    ho_ten: A\n    quyen_han: KT\n",
    "quyen-han-thieu-thay-cho": BASE + "nguoi_ky:\n  - chuc_vu: PHÓ HIỆU TRƯỞNG\n    ho_ten: A\n    quyen_han: KT.\n",
    "nguoi-ky-thua": BASE + "nguoi_ky:\n" + "  - chuc_vu: HIỆU TRƯỞNG\n    ho_ten: A\n" * 3,
    "trich-yeu-trong": edit("trich_yeu: Phối hợp tổ chức phong trào “{{ phong_trao }}” giữa {{ cac_don_vi }}", "trich_yeu: ''"),
    # dates and YAML 1.1 traps
    "ngay-khong-co-that": edit("ngay: 20/3/2023", "ngay: 31/02/2025"),
    "ngay-iso-thang-13": edit("ngay: 20/3/2023", "ngay: 2025-13-01"),
    "ngay-nam-hai-so": edit("ngay: 20/3/2023", "ngay: 20/3/23"),
    "ngay-chu": edit("ngay: 20/3/2023", "ngay: hai mươi tháng ba"),
    "loai-la-boolean": edit("danh_sach_truong:", "loai: yes\ndanh_sach_truong:"),
    "loai-de-trong": edit("danh_sach_truong:", "loai:\ndanh_sach_truong:"),
    "thieu-don-vi": edit("don_vi:\n  - truong: mn_hoa_sua\n  - truong: mn_tien_phong_b\n", ""),
    # references
    "can-cu-khong-co": edit("  - 4340/KH-SGDĐT", "  - 4341/KH-SGDĐT"),
    "can-cu-hai-nguon": edit("  - 4340/KH-SGDĐT", "  - so: 4340/KH-SGDĐT\n    toan_van: Kế hoạch số 4340"),
    "ma-truong-sai": edit("  - truong: mn_tien_phong_b", "  - truong: mn_tien_phong"),
    "thieu-danh-sach-truong": edit("danh_sach_truong: truong-mau.yaml\n", ""),
    "danh-sach-truong-khong-co": edit("truong-mau.yaml", "truong-mau-2.yaml"),
    "danh-sach-truong-loi": edit("truong-mau.yaml", "truong-loi.yaml"),
    "danh-sach-truong-sai-chinh-ta": edit("truong-mau.yaml", "truong-loi-chinh-ta.yaml"),
    "don-vi-thieu-hieu-truong": edit("danh_sach_truong: truong-mau.yaml\ndon_vi:\n  - truong: mn_hoa_sua\n  - truong: mn_tien_phong_b",
                                     "don_vi:\n  - ten: Trường mầm non Hoa Sữa\n    co_quan_chu_quan: UBND QUẬN LONG BIÊN\n    dia_danh: Long Biên"),
    "don-vi-truong-la": edit("  - truong: mn_hoa_sua", "  - truong: mn_hoa_sua\n    ten_gon: Hoa Sữa"),
    # templates
    "mau-ten-chua-dinh-nghia": edit("{{ phong_trao }}”", "{{ phong_trau }}”"),
    "mau-loi-cu-phap": edit("Tăng cường kết nối giữa {{ cac_don_vi }}.", "Tăng cường kết nối giữa {{ cac_don_vi }."),
    "mau-thuoc-tinh-khong-co": edit("Tăng cường kết nối giữa {{ cac_don_vi }}.", "Tăng cường kết nối với {{ don_vi[0].hieu_truongg }}."),
    "mau-truy-cap-noi-bo": edit("Tăng cường kết nối giữa {{ cac_don_vi }}.", "Xem \"{{ ''.__class__.__mro__ }}\""),
    "mau-nhieu-loi": edit("{{ phong_trao }}”", "{{ phong_trau }}”",
                          edit("Tăng cường kết nối giữa {{ cac_don_vi }}.", "Tăng cường kết nối giữa {{ cac_don_vi }.")),
    "mau-chua-dong": edit("Tăng cường kết nối giữa {{ cac_don_vi }}.", "Tăng cường kết nối giữa {{ cac_don_vi"),
    "mau-gia-tri-trong": edit("Báo cáo kết quả trước", "Báo cáo Phòng GDĐT {{ don_vi[0].dia_ban }} trước",
                              edit("danh_sach_truong: truong-mau.yaml\ndon_vi:\n  - truong: mn_hoa_sua\n  - truong: mn_tien_phong_b",
                                   "don_vi:\n  - ten: Trường mầm non Hoa Sữa\n    co_quan_chu_quan: UBND QUẬN LONG BIÊN\n    dia_danh: Long Biên\n    hieu_truong: A")),
    "ky-hieu-de-trong": edit("ky_hieu: KH-MNHS-MNTPB", "ky_hieu:"),
    # attacks
    "bom-tham-chieu": "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n" for p, c in zip("abcdefgh", "bcdefghi")),
}

PLAIN_QUOTES = BASE.replace("“", "'").replace("”", "'")
BYTES = {
    "utf16-sai-ngay": codecs.BOM_UTF16_LE + edit("ngay: 20/3/2023", "ngay: 30/2/2023").replace("\n", "\r\n").encode("utf-16-le"),
    "utf8-bom-truong-la": codecs.BOM_UTF8 + edit("luu: VT", "luu: VT\nlưu: VT").encode("utf-8"),
    "nfd-ma-truong-sai": unicodedata.normalize("NFD", edit("  - truong: mn_tien_phong_b", "  - truong: mn_tiên_phong")).encode("utf-8"),
    # Old code tables have no curly quotes: the clerk typed straight ones.
    "tcvn3": encode_legacy(PLAIN_QUOTES, "TCVN3").encode("latin-1"),
    "vni": encode_legacy(PLAIN_QUOTES, "VNI").encode("latin-1"),
    "cp1258": cp1258(PLAIN_QUOTES),
    "tep-word": b"PK\x03\x04" + bytes(60),
}


def corpus() -> dict[str, bytes]:
    """Every file of the corpus by name, as this script writes it (a test keeps the folder equal to it)."""
    files = {"truong-mau.yaml": SCHOOLS,
             "truong-loi.yaml": edit("    ten_ngan: MN Hoa Sữa\n", "    ten_ngan: MN Hoa Sữa\n    ten_ngan: x\n", SCHOOLS),
             "truong-loi-chinh-ta.yaml": edit("    hieu_truong: Phạm Thị Miên", "    hieu_truongg: Phạm Thị Miên", SCHOOLS),
             "hop-le.yaml": BASE, **{f"{name}.yaml": text for name, text in TEXT.items()}}
    return {name: text.encode("utf-8") for name, text in files.items()} | {f"{name}.yaml": data for name, data in BYTES.items()}


def main() -> None:
    for name, data in corpus().items():
        (HERE / name).write_bytes(data)


if __name__ == "__main__":
    main()
