"""The plan and schools files as typed data (pydantic). Pure: no I/O.

Field names are the YAML keys a clerk writes (Vietnamese without diacritics); each field's
description is the Vietnamese help that `kehoach schema` gives editors. Values arrive as text
(see loader.py) and are converted here, so a wrong value is reported against the key it was under.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, Tag, ValidationInfo,
                      field_validator, model_validator)

from kehoach.input.dates import ImpossibleDate, NotADate, YearOutOfRange, issue_date, parse_date
from kehoach.model.doctypes import LOAI, MAC_DINH, TRUONG_RIENG, KinhGuiRule, symbol_problem

_DATE_HINT = "viết ngày/tháng/năm đủ bốn số năm, ví dụ 16/9/2025 (hoặc 2025-09-16)"


def _parse_date(value: object) -> object:
    """Accept 16/9/2025, 16-09-2025, 2025-09-16 and "ngày 16 tháng 9 năm 2025"; leave anything else to pydantic."""
    if isinstance(value, str):
        try:
            return parse_date(value)
        except ImpossibleDate as error:
            raise ValueError(f"ngày {value.strip()} không có thật ({error.reason}) — {_DATE_HINT}") from None
        except NotADate:
            raise ValueError(f"'{value.strip()}' không phải là ngày — {_DATE_HINT}") from None
    return value


def _issue_date(value: date) -> date:
    try:
        return issue_date(value)
    except YearOutOfRange as error:
        raise ValueError(f"ngày {value:%d/%m/%Y}: {error.reason} — kiểm tra lại năm; {_DATE_HINT}") from None


def _blank_is_none(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


# Phụ lục I §III.2.b, c: the urgency marks (ô 10b) and the circulation marks (ô 11), written as printed.
DO_KHAN = ("KHẨN", "THƯỢNG KHẨN", "HỎA TỐC")
LUU_HANH = ("LƯU HÀNH NỘI BỘ", "XEM XONG TRẢ LẠI", "TRẢ LẠI SAU KHI HỌP", "TRẢ LẠI SAU KHI HỘI NGHỊ")

MAX_NUMBER = 10  # characters of a document's number or count of copies

Ngay = Annotated[date, BeforeValidator(_parse_date), AfterValidator(_issue_date)]  # an issue date
Text = Annotated[str, Field(min_length=1)]
OptionalText = Annotated[str | None, BeforeValidator(_blank_is_none)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class DonVi(_Strict):
    """Một đơn vị (trường, trung tâm, phòng GD&ĐT) ban hành văn bản."""

    model_config = ConfigDict(title="Đơn vị ban hành")

    ma: OptionalText = Field(None, title="Mã đơn vị", description="Mã ngắn để gọi đơn vị này từ tệp kế hoạch, ví dụ: mn_hoa_sua")
    ten: Text = Field(title="Tên đơn vị", description="Tên chính thức, ví dụ: Trường Mầm non Hoa Sữa")
    ten_ngan: OptionalText = Field(None, title="Tên ngắn", description="Tên ngắn dùng trong câu văn, ví dụ: MN Hoa Sữa")
    ten_goi: OptionalText = Field(
        None, title="Tên gọi trong câu", description="Cách gọi đơn vị trong câu văn; mặc định: 'trường <tên ngắn> <địa bàn>'")
    ky_hieu: OptionalText = Field(None, title="Chữ viết tắt", description="Chữ viết tắt tên đơn vị dùng trong ký hiệu văn bản, ví dụ: MNHS")
    cap_hoc: OptionalText = Field(None, title="Cấp học", description="Cấp học: Mầm non, Tiểu học, THCS, THPT, GDNN-GDTX")
    co_quan_chu_quan: OptionalText = Field(
        None, title="Cơ quan chủ quản", description="Cơ quan chủ quản in phía trên tên đơn vị, ví dụ: UBND PHƯỜNG HOÀNG LIỆT")
    co_quan_quan_ly: OptionalText = Field(
        None, title="Cơ quan quản lý",
        description="Cơ quan đơn vị báo cáo, như viết trong câu: UBND phường Hoàng Liệt (từ 01/7/2025), "
                    "Phòng GD&ĐT quận Long Biên (trước đó), Sở Giáo dục và Đào tạo Hà Nội")
    dia_ban: OptionalText = Field(None, title="Địa bàn", description="Nơi đơn vị đóng, như viết trong câu, ví dụ: quận Long Biên, xã Ngọc Hồi")
    dia_danh: OptionalText = Field(None, title="Địa danh", description="Địa danh ghi ở dòng ngày tháng, ví dụ: Ngọc Hồi")
    hieu_truong: OptionalText = Field(None, title="Thủ trưởng", description="Họ tên thủ trưởng đơn vị (hiệu trưởng, giám đốc)")
    chuc_vu_thu_truong: Text = Field("HIỆU TRƯỞNG", title="Chức vụ thủ trưởng", description="Chức vụ của thủ trưởng, in ở chữ ký")


class ThamChieuTruong(_Strict):
    """Một đơn vị lấy từ tệp danh sách trường, theo mã."""

    model_config = ConfigDict(title="Trường trong danh sách")

    truong: Text = Field(title="Mã trường", description="Mã của trường trong tệp danh sách trường")


def unit_kind(value: object) -> str:
    """"truong" for a unit referred to by its key in the schools file, "don_vi" for one written in full."""
    # A unit written as `truong: ma` is a reference; anything else is a unit written in full. Choosing
    # here means a mistake is reported once, against the kind the clerk meant, not against both kinds.
    return "truong" if isinstance(value, dict) and "truong" in value else "don_vi"


DonViHoacTruong = Annotated[Annotated[DonVi, Tag("don_vi")] | Annotated[ThamChieuTruong, Tag("truong")],
                            Discriminator(unit_kind)]


class DanhSachTruong(_Strict):
    """Tệp danh sách trường: mỗi trường viết một lần, các kế hoạch gọi theo mã."""

    model_config = ConfigDict(title="Danh sách trường")

    truong: dict[str, DonVi] = Field(title="Các trường", description="Các trường, theo mã")


class VanBanCanCu(_Strict):
    """Một văn bản làm căn cứ: gọi theo số ký hiệu có trong danh mục, hoặc viết đủ."""

    model_config = ConfigDict(title="Văn bản căn cứ")

    so: OptionalText = Field(None, title="Số ký hiệu", description="Số ký hiệu trong danh mục căn cứ, ví dụ: 4340/KH-SGDĐT")
    toan_van: OptionalText = Field(None, title="Toàn văn", description="Viết đủ văn bản căn cứ, không có chữ 'Căn cứ' ở đầu")
    loai: OptionalText = Field(None, title="Loại văn bản", description="Thay loại văn bản của danh mục, ví dụ: Kế hoạch")
    ngay: OptionalText = Field(None, title="Ngày ban hành", description="Thay ngày ban hành của danh mục, ví dụ: 12/12/2022")
    co_quan: OptionalText = Field(None, title="Cơ quan ban hành", description="Thay cơ quan ban hành của danh mục")
    trich_yeu: OptionalText = Field(None, title="Trích yếu", description="Thay trích yếu của danh mục, bắt đầu bằng 'về …'")

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: object) -> object:
        # A string without spaces is a catalogue number; one with spaces is the citation in full.
        if isinstance(value, str):
            return {"so": value} if " " not in value.strip() else {"toan_van": value}
        return value

    @model_validator(mode="after")
    def _one_source(self) -> VanBanCanCu:
        if not self.so and not self.toan_van:  # a starter's `- so:` still to fill
            raise ValueError("căn cứ chưa điền — điền số ký hiệu văn bản có trong danh mục sau `so:`, ví dụ 4340/KH-SGDĐT,"
                             " hoặc viết đủ câu căn cứ bằng `toan_van:`")
        if self.so and self.toan_van:
            raise ValueError("mỗi căn cứ cần đúng một trong hai: 'so' (số ký hiệu trong danh mục) hoặc 'toan_van' (viết đủ)"
                             " — giữ một trong hai dòng `so:` và `toan_van:`, xóa dòng kia")
        return self


class CanCu(_Strict):
    """Một đoạn căn cứ: 'Căn cứ' (hoặc 'Thực hiện') và một hay nhiều văn bản, nối bằng dấu chấm phẩy."""

    model_config = ConfigDict(title="Đoạn căn cứ")

    mo_dau: Text = Field("Căn cứ", title="Chữ mở đầu", description="Chữ mở đầu đoạn: Căn cứ, Thực hiện …")
    van_ban: list[VanBanCanCu] = Field(title="Văn bản căn cứ", min_length=1, description="Các văn bản trong đoạn này")

    @model_validator(mode="before")
    @classmethod
    def _single(cls, value: object) -> object:
        # The usual case, one document per paragraph, is written without the van_ban list.
        if isinstance(value, str):
            return {"van_ban": [value]}
        if isinstance(value, dict) and "van_ban" not in value:
            rest = {k: v for k, v in value.items() if k != "mo_dau"}
            head = {"mo_dau": value["mo_dau"]} if "mo_dau" in value else {}
            return {**head, "van_ban": [rest]}
        return value


CAP_KEYS = ("dieu", "muc", "khoan", "tiet", "diem", "gach", "cong", "doan")


class BangNhap(_Strict):
    """Một bảng trong nội dung: dòng tiêu đề cột và các dòng."""

    model_config = ConfigDict(title="Bảng")

    cot: list[Text] = Field(title="Tiêu đề cột", min_length=1, description="Tiêu đề các cột")
    dong: list[list[str | None]] = Field(default_factory=list, title="Các dòng", description="Các dòng, mỗi dòng một danh sách ô")
    do_rong: list[float] | None = Field(None, title="Độ rộng cột", description="Độ rộng tương đối của các cột, ví dụ: [1, 3, 2]")

    @model_validator(mode="after")
    def _rows_fit_columns(self) -> BangNhap:
        columns = len(self.cot)
        for index, row in enumerate(self.dong, start=1):
            if len(row) != columns:
                raise ValueError(f"dòng thứ {index} của bảng có {len(row)} ô, bảng có {columns} cột — thêm ô trống \"\" hoặc bớt ô cho đủ")
        # Widths are relative: 1 to 1000 says all a table needs; inf or nan (from 400 digits, or "nan") cannot be laid out.
        if self.do_rong is not None and (len(self.do_rong) != columns or not all(0 < w <= 1000 for w in self.do_rong)):
            raise ValueError(f"do_rong cần {columns} số dương đến 1000, mỗi cột một số — ví dụ cho {columns} cột: [{', '.join(['1'] * columns)}]")
        return self


class Phan(_Strict):
    """Một phần của nội dung. Viết đúng một trong các khóa cấp: dieu (Điều 1.), muc (I.), khoan (1.), tiet (1.1.),
    diem (a), gach (-), cong (+), doan (đoạn không đánh số); các phần con đặt trong noi_dung."""

    model_config = ConfigDict(title="Phần nội dung")

    dieu: OptionalText = Field(None, title="Điều", description="Điều 1., Điều 2. … (biên bản ghi nhớ, quyết định): tên điều (in đậm), hoặc cả câu của điều (kết thúc bằng dấu chấm, hai chấm: chỉ chữ 'Điều 1.' in đậm)")
    muc: OptionalText = Field(None, title="Mục (I.)", description="Mục cấp I, II, III … (tên mục, in hoa)")
    khoan: OptionalText = Field(None, title="Khoản (1.)", description="Khoản 1., 2. …: có phần con thì là tiêu đề in đậm")
    tiet: OptionalText = Field(None, title="Tiết (1.1.)", description="Tiết 1.1., 1.2. …")
    diem: OptionalText = Field(None, title="Điểm (a)", description="Điểm a), b), c) …")
    gach: OptionalText = Field(None, title="Gạch đầu dòng (-)", description="Ý gạch đầu dòng (-)")
    cong: OptionalText = Field(None, title="Dấu cộng (+)", description="Ý dấu cộng (+)")
    doan: OptionalText = Field(None, title="Đoạn văn", description="Đoạn văn không đánh số")
    bang: BangNhap | None = Field(None, title="Bảng", description="Một bảng")
    noi_dung: list[Phan] = Field(default_factory=list, title="Phần con", description="Các phần con")

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: object) -> object:
        return {"doan": value} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _one_level(self) -> Phan:
        given = [key for key in (*CAP_KEYS, "bang") if getattr(self, key) is not None]
        if len(given) != 1:
            found = ", ".join(given) if given else "không có khóa nào"
            raise ValueError(f"mỗi phần cần đúng một khóa cấp ({', '.join(CAP_KEYS)} hoặc bang); ở đây: {found}"
                             " — tách thành các phần riêng, mỗi phần bắt đầu bằng '- '; phần con đặt trong noi_dung")
        return self

    @property
    def cap(self) -> str:
        """Which level key this part was written with."""
        return next(key for key in (*CAP_KEYS, "bang") if getattr(self, key) is not None)


class NguoiKy(_Strict):
    """Người ký văn bản."""

    model_config = ConfigDict(title="Người ký")

    chuc_vu: Text = Field(title="Chức vụ", description="Chức vụ người ký, ví dụ: HIỆU TRƯỞNG, PHÓ HIỆU TRƯỞNG")
    ho_ten: Text = Field(title="Họ tên", description="Họ tên người ký, không ghi học hàm, học vị")
    quyen_han: Literal["TM.", "KT.", "Q.", "TL.", "TUQ."] | None = Field(
        None, title="Quyền hạn ký", description="Ký thay mặt (TM.), ký thay (KT.), quyền (Q.), thừa lệnh (TL.), thừa ủy quyền (TUQ.)")
    thay_cho: OptionalText = Field(
        None, title="Ký thay cho", description="Sau quyền hạn: chức vụ người đứng đầu hoặc tập thể, ví dụ: KT. HIỆU TRƯỞNG")
    don_vi: OptionalText = Field(None, title="Đơn vị của người ký", description="Tên đơn vị in trên chức vụ (văn bản liên tịch)")

    @model_validator(mode="after")
    def _authority_needs_whom(self) -> NguoiKy:
        if self.quyen_han and not self.thay_cho:
            raise ValueError(f"có quyen_han {self.quyen_han} thì cần 'thay_cho' — thêm dòng, ví dụ: thay_cho: HIỆU TRƯỞNG")
        return self


class VanBanNhap(_Strict):
    """Một văn bản hành chính (kế hoạch, biên bản ghi nhớ, báo cáo, quyết định, công văn, tờ trình) viết bằng YAML."""

    model_config = ConfigDict(title="Văn bản")

    loai: Literal[tuple(LOAI)] = Field(  # type: ignore[valid-type] - the registry's types, not a second list
        MAC_DINH, title="Loại văn bản",
        description="Loại văn bản: " + ", ".join(f"{kind.ma} ({kind.ten_thuong})" for kind in LOAI.values()),
        # each value's name in Vietnamese, shown beside it when the editor offers the values
        json_schema_extra={"enumDescriptions": [kind.ten_thuong.capitalize() for kind in LOAI.values()]})
    danh_sach_truong: OptionalText = Field(
        None, title="Tệp danh sách trường", description="Đường dẫn tới tệp danh sách trường (tính từ thư mục của tệp này)")
    don_vi: list[DonViHoacTruong] = Field(
        min_length=1, max_length=2,
        title="Đơn vị ban hành", description="Đơn vị ban hành: một, hoặc hai với văn bản liên trường; biên bản ghi nhớ: đúng hai bên (Bên A, Bên B); quyết định: một")
    so: OptionalText = Field(None, title="Số văn bản", description="Số văn bản, ví dụ: 586; để trống để văn thư điền tay")
    ky_hieu: Text = Field(title="Ký hiệu", description="Ký hiệu văn bản, ví dụ: KH-GDNN-GDTXTT")
    dia_danh: OptionalText = Field(None, title="Địa danh", description="Địa danh ở dòng ngày tháng; mặc định lấy của đơn vị đầu")
    ngay: Ngay = Field(title="Ngày ban hành", description="Ngày ban hành, ví dụ: 16/9/2025")
    trich_yeu: Text = Field(title="Trích yếu", description="Trích yếu nội dung, in đậm dưới tên loại văn bản; "
                                                          "công văn: in sau chữ 'V/v' dưới số văn bản")
    bien: dict[str, str] = Field(default_factory=dict, title="Biến", description="Biến tự đặt, dùng trong câu văn: {{ ten_bien }}")
    can_cu: list[CanCu] = Field(default_factory=list, title="Căn cứ", description="Các căn cứ")
    mo_dau: OptionalText = Field(None, title="Câu mở đầu", description="Thay câu mở đầu mặc định ('… xây dựng kế hoạch … như sau:')")
    noi_dung: list[Phan] = Field(min_length=1, title="Nội dung", description="Nội dung văn bản, các mục I, II, III …")
    ket_thuc: OptionalText = Field(None, title="Câu kết", description="Thay câu kết mặc định ('Trên đây là Kế hoạch …./.')")
    nguoi_ky: list[NguoiKy] | None = Field(
        None, title="Người ký", description="Người ký; mặc định: thủ trưởng của từng đơn vị ban hành")
    kinh_gui: list[Text] | None = Field(
        None, title="Kính gửi", min_length=1,
        description="Nơi văn bản kính gửi (công văn, tờ trình, báo cáo gửi cấp trên), mỗi nơi một dòng, không cần '- ' và ';'; "
                    "có phần này thì nơi nhận mở đầu bằng 'Như trên'")
    do_khan: Literal[DO_KHAN] | None = Field(  # type: ignore[valid-type]
        None, title="Độ khẩn", description="Dấu chỉ mức độ khẩn in trong khung dưới số văn bản: " + ", ".join(DO_KHAN))
    luu_hanh: Literal[LUU_HANH] | None = Field(  # type: ignore[valid-type]
        None, title="Phạm vi lưu hành",
        description="Chỉ dẫn về phạm vi lưu hành in trong khung ở đầu trang, trên Quốc hiệu: " + ", ".join(LUU_HANH))
    noi_nhan: list[Text] = Field(default_factory=list, validate_default=True,
                                 title="Nơi nhận", description="Nơi nhận, mỗi nơi một dòng (không cần '- ' và ';')")
    luu: Text = Field("VT", title="Lưu", description="Phần 'Lưu:', ví dụ: VT hoặc VT, TTr (02)")
    dia_diem: OptionalText = Field(None, title="Địa điểm ký kết", description="Biên bản ghi nhớ: nơi ký kết, ví dụ: Phòng GD&ĐT quận Hoàng Mai")
    so_ban: OptionalText = Field(None, title="Số bản", description="Biên bản ghi nhớ: số bản lập, chia đều cho hai bên; mặc định 04")
    tham_quyen: OptionalText = Field(
        None, title="Thẩm quyền ban hành",
        description="Quyết định: dòng thẩm quyền in hoa dưới trích yếu; mặc định: chức vụ người ký (người được ký thay) "
                    "và tên đơn vị, ví dụ: HIỆU TRƯỞNG TRƯỜNG MẦM NON HOA SỮA")
    de_nghi: OptionalText = Field(
        None, title="Theo đề nghị của",
        description="Quyết định: ai đề nghị, in sau các căn cứ thành 'Theo đề nghị của …', ví dụ: Phó Hiệu trưởng; "
                    "hoặc cả câu bắt đầu bằng 'Xét đề nghị …'")

    @field_validator("don_vi")
    @classmethod
    def _units_of_type(cls, value: list, info: ValidationInfo) -> list:
        kind = LOAI[info.data.get("loai", MAC_DINH)]
        low, high = kind.so_don_vi
        if low <= len(value) <= high:
            return value
        count = f"đúng {low}" if low == high else f"từ {low} đến {high}"
        if kind.chu_ky.moi_don_vi:  # the parties of an agreement
            raise ValueError(f"{kind.ten_thuong} cần {count} đơn vị (Bên A và Bên B), ở đây có {len(value)}"
                             " — liệt kê hai bên dưới don_vi, mỗi bên một dòng '- truong: …'")
        raise ValueError(f"{kind.ten_thuong} cần {count} đơn vị ban hành, ở đây có {len(value)}"
                         f" — chỉ giữ {count} dòng '- truong: …' dưới don_vi")

    @field_validator("ky_hieu")
    @classmethod
    def _symbol_of_type(cls, value: str, info: ValidationInfo) -> str:
        message = symbol_problem(info.data.get("loai", MAC_DINH), value)
        if message:
            raise ValueError(message)
        return value

    @field_validator("noi_nhan")
    @classmethod
    def _recipients_of_type(cls, value: list, info: ValidationInfo) -> list:
        kind = LOAI[info.data.get("loai", MAC_DINH)]
        if kind.can_noi_nhan and not value:
            raise ValueError(f"{kind.ten_thuong} cần ít nhất một nơi nhận — thêm `noi_nhan:`, mỗi nơi một dòng bắt đầu bằng '- '")
        return value

    @field_validator("kinh_gui")
    @classmethod
    def _addressees_of_type(cls, value: list | None, info: ValidationInfo) -> list | None:
        kind = LOAI[info.data.get("loai", MAC_DINH)]
        if value and kind.kinh_gui is KinhGuiRule.KHONG:
            raise ValueError(f"{kind.ten_thuong} không có phần Kính gửi — xóa `kinh_gui:`, hoặc sửa `loai:`")
        return value

    @field_validator("so")
    @classmethod
    def _short_number(cls, value: str | None) -> str | None:
        # A register number has a few digits; a longer one is a slip (and Python reads at most 4300 digits).
        if value is not None and len(value) > MAX_NUMBER:
            raise ValueError(f"số văn bản dài {len(value)} ký tự, quá {MAX_NUMBER} — ghi số trong sổ văn bản, ví dụ: so: 586")
        return value

    @field_validator(*TRUONG_RIENG)
    @classmethod
    def _own_fields(cls, value: str | None, info: ValidationInfo) -> str | None:
        # Which fields belong to which type is the registry's (truong_rieng); every such field is checked here.
        kind = LOAI[info.data.get("loai", MAC_DINH)]
        if value is not None and info.field_name not in kind.truong_rieng:
            users = [k.ten_thuong for k in LOAI.values() if info.field_name in k.truong_rieng]
            raise ValueError(f"khóa '{info.field_name}' chỉ dùng cho {', '.join(users)}, không dùng cho {kind.ten_thuong}"
                             " — xóa dòng này, hoặc sửa `loai:` nếu đây là văn bản loại khác")
        return value

    @field_validator("so_ban")
    @classmethod
    def _even_copies(cls, value: str | None) -> str | None:
        if value is not None and (not value.isdigit() or len(value) > MAX_NUMBER or int(value) < 2 or int(value) % 2):
            raise ValueError(f"số bản '{value}' phải là số chẵn từ 2 trở lên, để mỗi bên giữ số bản bằng nhau — ví dụ: so_ban: 4")
        return value

    @model_validator(mode="after")
    def _signers_match_units(self) -> VanBanNhap:
        allowed = (len(self.don_vi),) if LOAI[self.loai].chu_ky.moi_don_vi else (1, len(self.don_vi))
        if self.nguoi_ky is not None and len(self.nguoi_ky) not in allowed:
            raise ValueError(f"có {len(self.don_vi)} đơn vị ban hành nhưng {len(self.nguoi_ky)} người ký"
                             " — mỗi đơn vị một người ký, theo thứ tự của don_vi (hoặc một người ký cho cả văn bản)")
        return self


class VanBanDanhMuc(_Strict):
    """Một văn bản trong danh mục căn cứ (kehoach/data/can_cu.yaml)."""

    loai: Text = Field(title="Loại văn bản", description="Loại văn bản: Kế hoạch, Công văn, Chương trình …")
    ngay: Text = Field(title="Ngày ban hành", description="Ngày ban hành, viết như trong câu căn cứ: 12/12/2022")
    co_quan: Text = Field(title="Cơ quan ban hành", description="Cơ quan ban hành")
    trich_yeu: OptionalText = Field(None, title="Trích yếu", description="Trích yếu, bắt đầu bằng 'về …'")

    @model_validator(mode="after")
    def _real_date(self) -> VanBanDanhMuc:
        _parse_date(self.ngay)
        return self


class DanhMucCanCu(_Strict):
    """Danh mục căn cứ: số ký hiệu → văn bản."""

    van_ban: dict[str, VanBanDanhMuc]
