"""Model → document tree. Standard sentences come from templates/*.j2; every text of the plan is
itself a template over the same context, so a common plan can say "{{ cac_don_vi }}" and each pair
of a batch gets its own names. Jinja runs sandboxed and fails on an undefined name. Jinja emits
text only; numbering labels and punctuation are decided here, layout by the writer.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

import jinja2

from kehoach.compose import sandbox
from kehoach.input.vietnamese import viet_hoa_dau, viet_thuong_dau
from kehoach import nd30
from kehoach.model.doctypes import LOAI, LoaiVanBan, level_problem
from kehoach.errors import InputError, Problem, Where
from kehoach.model.vanban import DonVi, Phan, NguoiKy
from kehoach.input.places import proper_name
from kehoach.model.reader import CheckedDocument
from kehoach.tree import Bang, Cap, ChuKy, CoQuan, Doan, DongQuyetDinh, Khoi, KinhGui, NoiNhan, PhanDau, Run, TenLoai, VanBan

def templates_dir() -> Path:
    """Where the standard sentence templates are: the installed package, or the source checkout."""
    try:
        return Path(str(resources.files("kehoach.templates")))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[2] / "templates"


class BlankValue(jinja2.TemplateRuntimeError):
    """A {{ … }} whose value was left empty in the YAML; printed, it would read "None" in the document."""


def _not_blank(value: object) -> object:
    if value is None:
        raise BlankValue()
    return value


# Jinja's syntax messages → Vietnamese (pattern, message); names of Jinja's tokens → what the clerk types.
_SYNTAX = [
    (r"unexpected end of template", "câu văn hết mà {{{{ hoặc {{% chưa được đóng"),
    (r"expected token '(.+?)', got '(.+?)'", "ở chỗ '{1}' cần có '{0}'"),
    (r"unexpected char '(.+?)'", "ký tự '{0}' không dùng được trong {{{{ … }}}}"),
    (r"unexpected '(.+?)'", "dấu '{0}' không đúng chỗ"),
    (r"Encountered unknown tag '(.+?)'", "không có lệnh {{% {0} %}}"),
]
_TOKENS = {"end of print statement": "}}", "end of statement block": "%}", "name": "tên"}


def syntax_message(message: str) -> str:
    """A Jinja syntax error's message in Vietnamese (the common ones; others quoted as they are)."""
    for pattern, vietnamese in _SYNTAX:
        found = re.search(pattern, message)
        if found:
            return vietnamese.format(*(_TOKENS.get(g, g) for g in found.groups()))
    return f"không đọc được ({message})"


@cache
def environment() -> sandbox.BoundedEnvironment:
    """The one Jinja environment: sandboxed and bounded, strict about undefined and empty values, text (not XML) output."""
    env = sandbox.BoundedEnvironment(loader=jinja2.FileSystemLoader(templates_dir()), undefined=jinja2.StrictUndefined,
                                     autoescape=False, keep_trailing_newline=False, finalize=_not_blank,
                                     auto_reload=False)  # the package's own templates: no need to look for changes at every use
    env.add_filter("viet_hoa_dau", viet_hoa_dau)
    env.add_filter("viet_thuong_dau", viet_thuong_dau)
    env.add_filter("ten_rieng", proper_name)
    return env


# Characters of all the texts of one document: some three hundred pages, far beyond any plan, and what the
# writer lays out in seconds; aliases (*ten) or loops that repeat a text past it are refused.
MAX_DOCUMENT = 1_000_000
# Python's names of what went wrong in an expression, for the clerk.
_KIND = {"TypeError": "sai kiểu giá trị, ví dụ cộng chữ với số", "ZeroDivisionError": "chia cho 0",
         "IndexError": "không có phần tử hay tham số thứ tự ấy", "KeyError": "không có khóa ấy",
         "OverflowError": "số quá lớn", "ValueError": "giá trị không hợp lệ"}


@lru_cache(maxsize=8192)
def _compiled(text: str) -> jinja2.Template:
    return environment().from_string(text)


class Renderer:
    """Renders the plan's own texts and the standard templates, collecting errors where they were written."""

    def __init__(self, plan: CheckedDocument, context: dict):
        self.plan = plan
        self.context = context
        self.problems: list[Problem] = []  # every text's mistake, so that the clerk sees all in one run
        self.size, self.too_long = 0, False  # characters rendered so far, against MAX_DOCUMENT

    def text(self, text: str, path: tuple) -> str:
        """Render one text of the plan written at path (a key path in the YAML); "" after a mistake."""
        rendered = self._render(text, path)
        self.size += len(rendered)
        if self.size > MAX_DOCUMENT and not self.too_long:
            self.too_long = True
            self.problems.append(Problem(self.plan.source.where(path),
                                         f"văn bản dài quá {sandbox.thousands(MAX_DOCUMENT)} ký tự (từ câu văn này trở đi)",
                                         "một văn bản hành chính chỉ vài chục trang: bớt nội dung, hoặc bỏ các tham chiếu "
                                         "(*ten) và vòng lặp lặp lại cùng một đoạn"))
        return rendered

    def _at(self, path: tuple, error: BaseException | None = None) -> Where:
        """Where a text was written; for an error raised on a later line of a many-line text, that line."""
        where = self.plan.source.text_start(path)
        line = getattr(error, "lineno", None) or (_template_line(error, "<template>") if error else 1)
        if where.cell or line <= 1:  # a roster cell stays as it is
            return where
        return Where(where.file, where.line + line - 1, where.column)

    def _render(self, text: str, path: tuple) -> str:
        if "{" not in text:  # most texts have no template syntax: skip Jinja entirely
            return text
        try:
            return sandbox.render(_compiled(text), self.context).strip()
        except jinja2.TemplateSyntaxError as error:
            self.problems.append(Problem(self._at(path, error), f"câu văn có lỗi cú pháp mẫu: {syntax_message(error.message or '')}",
                                         "kiểm tra các cặp {{ … }} và {% … %}"))
        except sandbox.TooMuch as error:
            self.problems.append(Problem(self._at(path, error), f"câu văn có biểu thức đòi quá nhiều: {error.reason}",
                                         "câu văn chỉ cần chèn tên và số: bỏ phép nhân chuỗi, vòng lặp lớn hoặc macro tự gọi chính nó"))
        except jinja2.UndefinedError as error:
            self.problems.append(Problem(self._at(path, error), f"câu văn dùng tên chưa được định nghĩa: {_undefined(error)}",
                                         f"các tên dùng được: {', '.join(sorted(self.context))}; hoặc khai báo trong `bien:`"))
        except jinja2.exceptions.SecurityError as error:
            self.problems.append(Problem(self._at(path, error), "câu văn dùng thuộc tính nội bộ không được phép",
                                         "chỉ dùng các tên như {{ cac_don_vi }}, {{ don_vi[0].ten_goi }} hoặc tên khai báo trong `bien:`"))
        except BlankValue as error:
            blanks = self._blank_expressions(text) or ["…"]
            fields = ", ".join(f"`{expression.split('.')[-1]}:`" for expression in blanks)
            self.problems.append(Problem(self._at(path, error),
                                         f"câu văn chèn {', '.join('{{ ' + e + ' }}' for e in blanks)} nhưng giá trị ấy còn để trống",
                                         f"điền {fields} cho đơn vị ấy (trong tệp này, hoặc trong tệp danh sách trường nếu gọi trường theo mã), "
                                         "hoặc bỏ {{ … }} đó khỏi câu"))
        except RecursionError as error:  # e.g. (((( … )))) nested thousands deep, in Jinja's parser or compiler
            self.problems.append(Problem(self._at(path, error), "câu văn có biểu thức lồng nhau quá sâu",
                                         "viết biểu thức đơn giản: chỉ dùng {{ ten }} để chèn một tên"))
        except (jinja2.TemplateError, TypeError, ValueError, ArithmeticError, LookupError) as error:  # {{ nam + "x" }}, "{0}".format()
            self.problems.append(Problem(self._at(path, error), f"câu văn có biểu thức không tính được ({_KIND.get(type(error).__name__, 'lỗi tính toán')})",
                                         "chỉ dùng {{ ten }} để chèn một tên; bỏ các phép tính trong {{ … }}"))
        return ""

    def _blank_expressions(self, text: str) -> list[str]:
        """The {{ … }} of a text whose value is empty, to name them (Jinja's finalize sees values, not names)."""
        found = []
        for expression in re.findall(r"{{-?\s*(.+?)\s*-?}}", text):
            try:
                if environment().compile_expression(expression, undefined_to_none=False)(**self.context) is None:
                    found.append(expression)
            except jinja2.TemplateError:
                continue
        return found

    def template(self, name: str, path: tuple = (), **extra: object) -> str:
        """Render a standard template from templates/ (a plan may override it with its own text) with the plan's
        values written at path; "" after a mistake in those values."""
        try:
            return sandbox.render(environment().get_template(name), {**self.context, **extra}).strip()
        except jinja2.TemplateSyntaxError as error:
            raise InputError(Problem(Where(f"templates/{name}", error.lineno or 1, 1),
                                     f"mẫu câu có lỗi cú pháp: {syntax_message(error.message or '')}", "sửa tệp mẫu")) from None
        except jinja2.UndefinedError as error:
            line = _template_line(error, name)
            raise InputError(Problem(Where(f"templates/{name}", line, 1),
                                     f"mẫu câu dùng tên chưa được định nghĩa: {_undefined(error)}",
                                     f"các tên dùng được: {', '.join(sorted({**self.context, **extra}))}")) from None
        except sandbox.TooMuch as error:  # the plan's values are too long for the standard sentence
            self.problems.append(Problem(self.plan.source.where(path), f"câu văn chuẩn ({name}) dài quá: {error.reason}",
                                         "rút ngắn các giá trị được chèn vào câu này"))
        return ""


def _undefined(error: jinja2.UndefinedError) -> str:
    found = re.search(r"'([^']+)' is undefined", str(error.message))
    if found:
        return found.group(1)
    found = re.search(r"has no attribute '([^']+)'", str(error.message))
    return found.group(1) if found else str(error.message)


def _template_line(error: BaseException, name: str) -> int:
    """The template line an error was raised at, read from the traceback Jinja rewrites."""
    tb, line = error.__traceback__, 1
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(name):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


INLINE = re.compile(r"\*\*(.+?)\*\*|\*(.+?)\*")


def runs(text: str) -> tuple[Run, ...]:
    """Split **bold** and *italic* marks into runs."""
    out, pos = [], 0
    for found in INLINE.finditer(text):
        if found.start() > pos:
            out.append(Run(text[pos:found.start()]))
        bold, italic = found.group(1), found.group(2)
        out.append(Run(bold, bold=True) if bold is not None else Run(italic, italic=True))
        pos = found.end()
    if pos < len(text):
        out.append(Run(text[pos:]))
    return tuple(out)


def so_ky_hieu(so: str | None, ky_hieu: str, units: tuple[str, ...] = ()) -> str:
    """number.format, number.leading-zero, number.blank: "Số: 05/KH-…", or "Số:      /KH-…".

    A bare type group ("KHLT", no "-") carries each issuing unit's abbreviation, in the document's
    order (ND30 I §II.3.b): "KHLT-THLN-THHL"; a symbol already containing "-" is printed as written."""
    if "-" not in ky_hieu and units:
        ky_hieu = "-".join((ky_hieu, *units))
    if not so:
        return f"Số:{' ' * 8}/{ky_hieu}"
    number = f"{int(so):02d}" if so.isdigit() and int(so) < 10 else so
    return f"Số: {number}/{ky_hieu}"


def ngay_thang(day) -> str:
    """date.leading-zero: "ngày 05 tháng 01 năm 2020", "ngày 16 tháng 9 năm 2025"."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def dia_danh_ngay(place: str, day) -> str:
    """date.format: "<Place>, ngày … tháng … năm …"."""
    return f"{place}, {ngay_thang(day)}"


def _unit_context(renderer: Renderer, unit: DonVi, index: int) -> dict:
    fields = unit.model_dump()
    fields["ten_goi"] = renderer.text(unit.ten_goi, ("don_vi", index, "ten_goi")) if unit.ten_goi \
        else renderer.template("ten_goi.j2", ("don_vi", index), **fields)
    return fields


def _cited(plan: CheckedDocument, cited) -> dict:
    if cited.toan_van:
        return {"toan_van": cited.toan_van}
    entry = plan.catalogue[cited.so].model_dump()
    overrides = {k: getattr(cited, k) for k in ("loai", "ngay", "co_quan", "trich_yeu") if getattr(cited, k)}
    return {**entry, **overrides, "so": cited.so, "toan_van": None}


class Numbering:
    """Labels of one list of siblings: numbers restart under each parent (num.*)."""

    def __init__(self, parent_number: str = ""):
        self.parent_number = parent_number  # "1" for the clauses under "1.", so that tiết read "1.1."
        self.counts: dict[str, int] = {}

    def label(self, cap: str) -> tuple[str, str]:
        """The label shown and the number children of this part continue from."""
        n = self.counts[cap] = self.counts.get(cap, 0) + 1
        if cap == "dieu":
            return f"Điều {n}.", ""
        if cap == "muc":
            return f"{nd30.roman(n)}.", ""
        if cap == "khoan":
            return f"{n}.", str(n)
        if cap == "tiet":
            number = f"{self.parent_number}.{n}" if self.parent_number else str(n)
            return f"{number}.", number
        if cap == "diem":
            return f"{nd30.diem_letter(n - 1)})", ""
        return {"gach": "-", "cong": "+", "doan": ""}[cap], self.parent_number


def _table(renderer: Renderer, table, path: tuple) -> Bang:
    """A table part: every header and cell is a template like any other text of the document."""
    heads = tuple(renderer.text(text, (*path, "cot", i)) for i, text in enumerate(table.cot))
    rows = tuple(tuple(renderer.text(cell or "", (*path, "dong", r, c)) for c, cell in enumerate(row))
                 for r, row in enumerate(table.dong))
    return Bang(heads, rows, tuple(table.do_rong or [1.0] * len(table.cot)))


# dieu.title: an article's title has no closing punctuation; an article written as a sentence ("Điều 1. Thành lập
# … gồm:") is body text after its bold label.
_SENTENCE_END = (".", ":", ";", "!", "?", "…")


def _parts(renderer: Renderer, parts: list[Phan], path: tuple, numbering: Numbering) -> list[Khoi]:
    kind = LOAI[renderer.plan.model.loai]
    out: list[Khoi] = []
    for index, part in enumerate(parts):
        here = (*path, index)
        cap = part.cap
        if cap == "bang":
            out.append(_table(renderer, part.bang, (*here, "bang")))
            continue
        wrong = level_problem(kind, cap, top=len(path) == 1)
        if wrong:
            renderer.problems.append(Problem(renderer.plan.source.where((*here, cap), key=True), *wrong))
        label, number = numbering.label(cap)
        text = renderer.text(getattr(part, cap), (*here, cap))
        titled = (cap == "dieu" and not text.rstrip().endswith(_SENTENCE_END)) or (bool(part.noi_dung) and cap in ("muc", "khoan"))
        out.append(Doan(Cap(cap), runs(text), label, tieu_de=titled))
        out.extend(_parts(renderer, part.noi_dung, (*here, "noi_dung"), Numbering(number)))
    return out


def _signature_unit_line(unit: dict) -> str:
    """sign.joint: the unit's name in capitals, its place on a line of its own (as seed 000 prints it)."""
    name, place = unit["ten_goi"], unit["dia_ban"]
    if place and name.endswith(" " + place):
        name = name[: -len(place) - 1] + "\n" + place
    return name.upper()


def _signers(plan: CheckedDocument, units: list[dict]) -> tuple[ChuKy, ...]:
    joint = len(units) > 1
    given: list[NguoiKy | None] = list(plan.model.nguoi_ky or [None] * len(units))
    prefix = LOAI[plan.model.loai].chu_ky.dau_khoi  # sign.dai-dien: "ĐẠI DIỆN " before each party's name
    out = []
    for unit, signer in zip(units, given):
        line = prefix + _signature_unit_line(unit) if joint else ""
        if signer is None:
            out.append(ChuKy(unit["chuc_vu_thu_truong"], unit["hieu_truong"], don_vi=line))
        else:
            authority = f"{signer.quyen_han} {signer.thay_cho}" if signer.quyen_han else ""
            out.append(ChuKy(signer.chuc_vu, signer.ho_ten, authority, signer.don_vi or line))
    return tuple(out)


def _paragraphs(text: str) -> list[Doan]:
    """One body paragraph per non-empty line of an opening or closing text."""
    return [Doan(Cap.DOAN, runs(line.strip())) for line in text.split("\n") if line.strip()]


# The names every text can use without declaring them (set in compose below); a `bien:` of the same name
# would be silently replaced, so it is refused.
TEN_CO_SAN = ("ten_loai", "so", "ky_hieu", "nam", "ngay", "ngay_thang", "dia_diem", "so_ban",
              "don_vi", "cac_don_vi", "trich_yeu", "dai_dien", "kinh_gui")
VV = "V/v"  # cv.trich-yeu: what a công văn's abstract starts with


def _addressees(renderer: Renderer, names: list[str] | None) -> KinhGui | None:
    """kinh-gui.format: each addressee a template like a recipient; the clerk's own "- " and ";" or "." dropped,
    the writer puts the decree's."""
    if not names:
        return None
    texts = (renderer.text(name, ("kinh_gui", i)) for i, name in enumerate(names))
    return KinhGui(tuple(text.removeprefix("-").strip().rstrip(";.").strip() for text in texts))


def _in_sentence(names: tuple[str, ...]) -> str:
    """The addressees in a sentence: "A", "A và B", "A, B và C"."""
    return " và ".join(filter(None, (", ".join(names[:-1]), names[-1])))


def compose(plan: CheckedDocument) -> VanBan:
    """The document tree of a checked plan."""
    model = plan.model
    kind = LOAI[model.loai]
    ten_loai = kind.ten
    context: dict = {**model.bien, "ten_loai": ten_loai, "so": model.so or "",
                     "ky_hieu": model.ky_hieu, "nam": model.ngay.year, "ngay": f"{model.ngay:%d/%m/%Y}",
                     "ngay_thang": ngay_thang(model.ngay), "dia_diem": model.dia_diem or "",
                     "so_ban": int(model.so_ban or kind.so_ban)}
    renderer = Renderer(plan, context)
    renderer.problems.extend(
        Problem(plan.source.where(("bien", name), key=True), f"biến '{name}' trùng tên có sẵn nên không dùng được",
                f"đặt tên khác, ví dụ {name}_rieng; các tên có sẵn: {', '.join(TEN_CO_SAN)}")
        for name in model.bien if name in TEN_CO_SAN)
    units = [_unit_context(renderer, unit, i) for i, unit in enumerate(plan.don_vi)]
    context["don_vi"] = units
    context["cac_don_vi"] = renderer.template("cac_don_vi.j2", ("don_vi",))
    trich_yeu = renderer.text(model.trich_yeu, ("trich_yeu",))
    context["trich_yeu"] = " ".join(trich_yeu.split())  # in a sentence the abstract's line breaks are spaces
    signers = _signers(plan, units)
    context["dai_dien"] = [{"ho_ten": s.ho_ten, "chuc_vu": s.chuc_vu} for s in signers]
    kinh_gui = _addressees(renderer, model.kinh_gui)
    context["kinh_gui"] = _in_sentence(kinh_gui.cac_noi) if kinh_gui else ""

    body: list[Khoi] = []
    for index, paragraph in enumerate(model.can_cu):
        text = renderer.template("can_cu.j2", ("can_cu", index), mo_dau=paragraph.mo_dau,
                                 van_ban=[_cited(plan, c) for c in paragraph.van_ban],
                                 cuoi=index == len(model.can_cu) - 1 and not model.de_nghi)
        body.append(Doan(Cap.DOAN, runs(renderer.text(text, ("can_cu", index))), can_cu=True))
    if model.de_nghi:  # can-cu.format: "Theo đề nghị của …." closes the căn cứ
        text = renderer.template("de_nghi.j2", ("de_nghi",), de_nghi=renderer.text(model.de_nghi, ("de_nghi",)).rstrip(" .;"))
        body.append(Doan(Cap.DOAN, runs(text), can_cu=True))
    # Each type's standard sentences are in templates/<loai>/ (the row names them); each line of them is a paragraph.
    opening = renderer.text(model.mo_dau, ("mo_dau",)) if model.mo_dau \
        else renderer.template(f"{kind.ma}/{kind.mo_dau}", ("trich_yeu",)) if kind.mo_dau else ""
    body.extend(_paragraphs(opening))
    if kind.dong_quyet_dinh:
        body.append(DongQuyetDinh(kind.dong_quyet_dinh))
    parts = _parts(renderer, model.noi_dung, ("noi_dung",), Numbering())
    body.extend(parts)
    closing = renderer.text(model.ket_thuc, ("ket_thuc",)) if model.ket_thuc \
        else renderer.template(f"{kind.ma}/{kind.ket_thuc}", ("trich_yeu",)) if kind.ket_thuc else ""
    body.extend(_paragraphs(closing))
    if not closing and body and isinstance(body[-1], Doan):
        body[-1] = _ends_document(body[-1])

    place = model.dia_danh or units[0]["dia_danh"]
    joins_units = "-" not in model.ky_hieu and bool(kind.viet_tat)  # a công văn's symbol starts with its issuer
    if joins_units:  # a bare symbol needs each unit's abbreviation
        for index, unit in enumerate(units):
            if not unit["ky_hieu"]:
                renderer.problems.append(Problem(
                    plan.source.where(("don_vi", index)),
                    f"đơn vị '{unit['ten']}' chưa có ky_hieu (chữ viết tắt) mà ký hiệu văn bản '{model.ky_hieu}' "
                    "cần để ghép ký hiệu đủ (ví dụ KHLT-MNHS-MNTPB)",
                    "điền `ky_hieu:` cho đơn vị ấy (ở tệp danh sách trường nếu gọi theo mã), "
                    f"hoặc ghi ký hiệu đủ, ví dụ `ky_hieu: {model.ky_hieu}-…`"))
    head = PhanDau(
        co_quan=tuple(CoQuan(u["ten"], u["co_quan_chu_quan"] or "") for u in units),
        so_ky_hieu=so_ky_hieu(model.so, model.ky_hieu, tuple(u["ky_hieu"] or "" for u in units) if joins_units else ()),
        dia_danh_ngay=dia_danh_ngay(place, model.ngay),
        trich_yeu="" if kind.tieu_de else f"{VV} {trich_yeu.removeprefix(VV).strip()}",
        do_khan=model.do_khan or "",
        luu_hanh=model.luu_hanh or "",
    )
    recipients = NoiNhan(tuple(renderer.text(r, ("noi_nhan", i)) for i, r in enumerate(model.noi_nhan)),
                         renderer.text(model.luu, ("luu",)))
    renderer.problems += _articles_named(plan, kind, parts, recipients.cac_noi)
    if renderer.problems:
        raise InputError(renderer.problems)
    title = TenLoai(ten_loai, trich_yeu) if kind.tieu_de else TenLoai("", "")
    return VanBan(head, title, tuple(body), signers, recipients,
                  tieu_de_tep=f"{ten_loai.capitalize()} {trich_yeu}", ngay=model.ngay, kinh_gui=kinh_gui,
                  tham_quyen=_authority(renderer, kind, units[0]))


def _ends_document(block: Doan) -> Doan:
    """body.end: the body's last sentence ends "./." (in a type without a closing sentence, its last part's)."""
    if not block.runs or block.runs[-1].text.rstrip().endswith("./."):  # no runs: its text failed, reported
        return block
    last = block.runs[-1]
    return replace(block, runs=(*block.runs[:-1], replace(last, text=last.text.rstrip(" .;,") + "./.")))


def _authority(renderer: Renderer, kind: LoaiVanBan, unit: dict) -> str:
    """qd.tham-quyen: the YAML's tham_quyen, or the title the signer signs for and the unit's name ("HIỆU TRƯỞNG
    TRƯỜNG MẦM NON HOA SỮA"); a deputy signing KT. signs for the head, whose authority it is (Phụ lục III, note 6)."""
    model = renderer.plan.model
    if not kind.tham_quyen:
        return ""
    if model.tham_quyen:
        return renderer.text(model.tham_quyen, ("tham_quyen",))
    signer = model.nguoi_ky[0] if model.nguoi_ky else None
    title = unit["chuc_vu_thu_truong"] if signer is None else signer.thay_cho if signer.quyen_han else signer.chuc_vu
    name = unit["ten"]
    # "TM. ỦY BAN NHÂN DÂN" of "Ủy ban nhân dân phường …": the body's own name already says it.
    return name if name.casefold().startswith(title.casefold()) else f"{title} {name}"


_NHU_DIEU = re.compile(r"như\s+điều\s+([^(]*)", re.IGNORECASE)


def _articles_named(plan: CheckedDocument, kind: LoaiVanBan, parts: list[Khoi], recipients: tuple[str, ...]) -> list[Problem]:
    """noi-nhan.nhu-dieu: every "Như Điều N" of the Nơi nhận names an article the document has; in a type whose last
    article says who carries it out (a decision), that article does, and the Nơi nhận opens "Như Điều <it>"."""
    last = sum(part.cap == "dieu" for part in plan.model.noi_dung)  # articles stand at the top (doctypes.level_problem)
    name = kind.ten_thuong
    has = f"{name} này có Điều 1 đến Điều {last}" if last > 1 else f"{name} này chỉ có Điều 1" if last else \
        f"{name} này không có điều nào"
    problems = []
    for index, text in enumerate(recipients):
        found = _NHU_DIEU.match(text.strip())
        wrong = [n for n in re.findall(r"\d+", found.group(1)) if not 1 <= int(n) <= last] if found else []
        if wrong:
            fix = f"sửa thành: Như Điều {last}" + (" (điều giao thi hành)" if kind.dieu_thi_hanh else "") if last \
                else "bỏ dòng này, ghi tên nơi nhận"
            problems.append(Problem(plan.source.where(("noi_nhan", index)),
                                    f"'{text}' chỉ tới Điều {', '.join(wrong)}, nhưng {has}", fix))
    if not kind.dieu_thi_hanh or not last:
        return problems
    top = max(i for i, part in enumerate(plan.model.noi_dung) if part.cap == "dieu")
    start = max(i for i, block in enumerate(parts) if isinstance(block, Doan) and block.nhan == f"Điều {last}.")
    said = " ".join(run.text for block in parts[start:] if isinstance(block, Doan) for run in block.runs)
    if not re.search(rf"thi hành|thực hiện\s+{name}\s+này", said, re.IGNORECASE):
        problems.append(Problem(
            plan.source.where(("noi_dung", top, "dieu")),
            f"Điều {last}, điều cuối của {name}, chưa nêu ai thi hành {name} (Mẫu 1.2, Phụ lục III, Nghị định 30/2020/NĐ-CP)",
            f"thêm vào điều cuối câu, ví dụ: Các bộ phận liên quan và các ông (bà) có tên tại Điều 1 chịu trách nhiệm "
            f"thi hành {name.capitalize()} này."))
    first = _NHU_DIEU.match(recipients[0].strip()) if recipients else None
    flagged = problems and problems[0].where == plan.source.where(("noi_nhan", 0))
    if not flagged and (first is None or str(last) not in re.findall(r"\d+", first.group(1))):
        opening = f"'{recipients[0]}'" if recipients else "chưa có"
        problems.append(Problem(
            plan.source.where(("noi_nhan", 0) if recipients else ("noi_nhan",)),
            f"nơi nhận đầu tiên của {name} phải là 'Như Điều {last}', điều giao thi hành (Mẫu 1.2, Phụ lục III, "
            f"Nghị định 30/2020/NĐ-CP); ở đây: {opening}",
            f"ghi dòng đầu tiên dưới noi_nhan: - Như Điều {last}"))
    return problems
