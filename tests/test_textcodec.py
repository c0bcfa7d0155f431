"""decode_input / read_text_file: Unicode in, clean text out; old Vietnamese code tables refused."""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from support import cp1258

from kehoach.errors import InputError, Problem
from kehoach.input.textcodec import (
    MAX_INPUT_BYTES,
    TONES,
    LegacyEncodingError,
    convert_legacy,
    decode_input,
    encode_legacy,
    read_text_file,
)

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
DON_VI = "Trường Mầm non Hoa Sữa"
TEN = (
    "Kế hoạch phối hợp tổ chức phong trào “Nhà trường cùng chung tay phát triển - "
    "Thầy cô cùng sẻ chia trách nhiệm”"
)
# The first letter a legacy table garbles is the "ế" of "Kế": line 1, column 4.
PLAN = (
    "# Kế hoạch năm học 2024-2025\n"
    f'don_vi: "{DON_VI}"\n'
    f'quoc_hieu: "{QUOC_HIEU}"\n'
    f'tieu_ngu: "{TIEU_NGU}"\n'
    f'ten: "{TEN}"\n'
    "ngay: 2024-09-05\n"
)
SENTENCES = [QUOC_HIEU, TIEU_NGU, DON_VI, TEN, "Nguyễn Văn Quyết, khuỷu, rượu, người được giờ gì"]
INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def only_problem(data: bytes, filename: str = "ke-hoach.yaml") -> Problem:
    with pytest.raises(InputError) as caught:
        decode_input(data, filename)
    [problem] = caught.value.problems
    return problem


def clean(text: str) -> str:
    """What decode_input promises for Unicode input: LF newlines, no invisibles, NFC."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", INVISIBLE.sub("", text))


# --- Unicode input ----------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_unicode_encodings_decode_to_the_same_text(encoding):
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}
    assert decode_input(PLAN.encode(encoding), "a.yaml") == PLAN
    assert decode_input(bom.get(encoding, b"") + PLAN.encode(encoding), "a.yaml") == PLAN


def test_decomposed_text_becomes_composed():
    decomposed = unicodedata.normalize("NFD", PLAN)
    assert decomposed != PLAN
    assert decode_input(decomposed.encode(), "a.yaml") == PLAN


def test_windows_and_old_mac_newlines_become_lf():
    assert decode_input(PLAN.replace("\n", "\r\n").encode(), "a.yaml") == PLAN
    assert decode_input(b"a: 1\rb: 2\r\n", "a.yaml") == "a: 1\nb: 2\n"


def test_invisible_characters_are_removed_but_no_break_spaces_kept():
    text = "ten: \ufeffTrường\u200b Mầm\u2060 non\nso_hieu: 30/2020/NĐ-CP\u00a0ngày 5/3\n"
    assert decode_input(text.encode(), "a.yaml") == (
        "ten: Trường Mầm non\nso_hieu: 30/2020/NĐ-CP\u00a0ngày 5/3\n"
    )


@pytest.mark.parametrize(
    "text",
    [
        PLAN,
        "name: plan\nitems:\n  - id: 1\n    date: 2024-09-05\n",
        "ghi_chu: Họp lúc 8 giờ, phòng 2×3 m, 25°C, 5 µm, uống café\n",
        "a: café × 2\nb: ½ × ¼, 5 µm × 3 µm\nc: naïve Ðóng\n",
        "thanh_phan: Bà Nguyễn Thị Hòa, ông Lê Văn Tôn, cô Trần Thị Lý – giáo viên\n",
    ],
)
def test_unicode_text_with_latin1_symbols_is_not_taken_for_legacy(text):
    assert decode_input(text.encode(), "a.yaml") == text


# --- legacy Vietnamese code tables ------------------------------------------------------


def test_code_tables_spell_known_samples():
    assert encode_legacy("Cộng hòa xã hội chủ nghĩa", "TCVN3") == "Céng hßa x· héi chñ nghÜa"
    assert encode_legacy("Trường, Kế hoạch", "TCVN3") == "Tr\xadêng, KÕ ho¹ch"
    assert encode_legacy("Cộng hòa xã hội chủ nghĩa Việt Nam", "VNI") == (
        "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam"
    )


@pytest.mark.parametrize("sentence", SENTENCES)
def test_vni_round_trips(sentence):
    assert convert_legacy(encode_legacy(sentence, "VNI"), "VNI") == sentence


@pytest.mark.parametrize("sentence", SENTENCES)
def test_tcvn3_round_trips_except_capital_tones(sentence):
    # TCVN3 has no capital toned letters (headings use the .VnTimeH all-capitals font),
    # so capitals come back lowercase; everything else comes back exactly.
    converted = convert_legacy(encode_legacy(sentence, "TCVN3"), "TCVN3")
    assert converted.upper() == sentence.upper()
    assert convert_legacy(encode_legacy(sentence.lower(), "TCVN3"), "TCVN3") == sentence.lower()


def test_cp1258_converts_from_its_bytes_read_as_latin1():
    assert convert_legacy(cp1258(PLAN).decode("latin-1"), "CP1258") == PLAN


def test_every_vietnamese_letter_round_trips():
    letters = {unicodedata.normalize("NFC", base + tone)
               for base in ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"]
               for tone in ("", *TONES)} | {"đ"}
    for letter in letters:
        for encoding in ("TCVN3", "VNI"):
            assert convert_legacy(encode_legacy(letter, encoding), encoding) == letter
        assert convert_legacy(encode_legacy(letter.upper(), "VNI"), "VNI") == letter.upper()


@pytest.mark.parametrize(
    ("encoding", "data", "name", "source"),
    [
        ("TCVN3", encode_legacy(PLAN, "TCVN3").encode("cp1252"), "TCVN3 (ABC)", "Nguồn: TCVN3"),
        ("TCVN3", encode_legacy(PLAN, "TCVN3").encode("utf-8"), "TCVN3 (ABC)", "Nguồn: TCVN3"),
        ("VNI", encode_legacy(PLAN, "VNI").encode("cp1252"), "VNI Windows", "Nguồn: VNI Windows"),
        ("VNI", encode_legacy(PLAN, "VNI").encode("utf-8"), "VNI Windows", "Nguồn: VNI Windows"),
        ("CP1258", cp1258(PLAN), "Windows-1258", "Windows-1258"),
    ],
    ids=["tcvn3-bytes", "tcvn3-in-utf8", "vni-bytes", "vni-in-utf8", "cp1258"],
)
def test_legacy_text_is_refused_naming_the_code_table(encoding, data, name, source):
    with pytest.raises(LegacyEncodingError) as caught:
        decode_input(data, "ke-hoach.yaml")
    [problem] = caught.value.problems
    assert caught.value.encoding == encoding
    assert (problem.where.file, problem.where.line, problem.where.column) == ("ke-hoach.yaml", 1, 4)
    assert f"Tệp được gõ bằng bảng mã {name}" in problem.message
    assert "không phải Unicode" in problem.message
    assert source in problem.hint
    assert "UTF-8" in problem.hint and "Notepad++" in problem.hint
    if encoding != "CP1258":
        assert "UniKey → Công cụ chuyển mã (Ctrl+Shift+F6)" in problem.hint
        assert "Đích: Unicode" in problem.hint


@pytest.mark.parametrize(
    ("line", "encoding", "column"),
    [
        ("quoc_hieu: Céng hßa x· héi chñ nghÜa ViÖt Nam", "TCVN3", 13),
        ("don_vi: Tr­êng MÇm non Hoa S÷a", "TCVN3", 11),
        ("hieu_truong: NguyÔn V¨n An", "TCVN3", 18),
        ("quoc_hieu: Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "VNI", 13),
    ],
)
def test_legacy_text_pasted_into_a_unicode_file_is_found_on_its_line(line, encoding, column):
    text = f"# Kế hoạch của {DON_VI}\ntieu_ngu: {TIEU_NGU}\n{line}\n"
    with pytest.raises(LegacyEncodingError) as caught:
        decode_input(text.encode(), "a.yaml")
    assert caught.value.encoding == encoding
    assert caught.value.problems[0].where.line == 3
    assert caught.value.problems[0].where.column == column


# --- not text ---------------------------------------------------------------------------


def test_invalid_utf8_is_reported_at_its_line_and_character_column():
    problem = only_problem(f'ten: "{DON_VI}"\nso: 1'.encode() + b"\xff")
    assert (problem.where.line, problem.where.column) == (2, 6)
    assert problem.message == "Tệp có byte 0xFF không đọc được theo mã hóa UTF-8."
    assert "lưu tệp với mã hóa UTF-8" in problem.hint


def test_ansi_file_with_a_few_accents_is_not_legacy_but_not_utf8_either():
    problem = only_problem("ghi_chu: café 25°C\n".encode("cp1252"))
    assert (problem.where.line, problem.where.column) == (1, 13)
    assert "0xE9" in problem.message


def test_broken_utf16_is_reported():
    problem = only_problem(codecs.BOM_UTF16_LE + "a: Hoa Sữa\n".encode("utf-16-le") + b"\x00")
    assert problem.message == "Tệp có byte 0x00 không đọc được theo mã hóa UTF-16."
    assert (problem.where.line, problem.where.column) == (2, 1)


def test_control_characters_are_reported_at_their_position():
    problem = only_problem(f"ten: {DON_VI}\r\nma: A\x1bB\n".encode())
    assert (problem.where.line, problem.where.column) == (2, 6)
    assert problem.message == "Tệp có ký tự điều khiển không in được (mã U+001B)."


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"PK\x03\x04\x14\x00", "tệp Word (.docx)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1", "(.doc)"),
        (b"%PDF-1.7", "PDF"),
    ],
)
def test_office_and_pdf_files_are_named(data, kind):
    problem = only_problem(data)
    assert kind in problem.message and "không phải tệp văn bản" in problem.message
    assert ".yaml" in problem.hint


# --- files ------------------------------------------------------------------------------


def test_read_text_file_decodes(tmp_path):
    path = tmp_path / "kế hoạch.yaml"
    path.write_bytes(PLAN.replace("\n", "\r\n").encode("utf-8-sig"))
    assert read_text_file(path) == PLAN


def test_read_text_file_refuses_a_missing_file(tmp_path):
    with pytest.raises(InputError, match="Không tìm thấy tệp"):
        read_text_file(tmp_path / "khong-co.yaml")


def test_read_text_file_refuses_a_folder(tmp_path):
    with pytest.raises(InputError, match="Đây là một thư mục, không phải tệp"):
        read_text_file(tmp_path)


def test_read_text_file_refuses_a_file_it_may_not_read(tmp_path, monkeypatch):
    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", denied)
    with pytest.raises(InputError, match="Không có quyền đọc tệp"):
        read_text_file(tmp_path / "a.yaml")


def test_read_text_file_refuses_a_huge_file(tmp_path):
    path = tmp_path / "to.yaml"
    path.write_bytes(b"a" * (MAX_INPUT_BYTES + 1))
    with pytest.raises(InputError, match="Tệp quá lớn"):
        read_text_file(path)
    path.write_bytes(b"a" * MAX_INPUT_BYTES)
    assert len(read_text_file(path)) == MAX_INPUT_BYTES


# --- properties -------------------------------------------------------------------------

UNICODE_ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16"])
# Without Latin-1 letters and symbols no TCVN3 or VNI spelling can occur.
text_without_legacy_letters = st.text(
    st.characters(exclude_categories=("Cc", "Cs"), include_characters="\t\n\r")
    .filter(lambda c: not "\u00a1" <= c <= "\u00ff")
)


@settings(max_examples=500)
@given(text_without_legacy_letters, UNICODE_ENCODINGS)
def test_unicode_text_decodes_to_its_clean_form(text, encoding):
    assert decode_input(text.encode(encoding), "a.yaml") == clean(text)


@settings(max_examples=500)
@given(st.text(), UNICODE_ENCODINGS)
@example("\x00000\x00", "utf-8")  # NULs at even places, odd length: once taken for UTF-16 without a BOM
def test_any_text_decodes_to_its_clean_form_or_is_refused_for_a_reason(text, encoding):
    try:
        decoded = decode_input(text.encode(encoding), "a.yaml")
    except LegacyEncodingError:
        assert any("\u00a1" <= c <= "\u00ff" for c in text)
    except InputError as error:
        assert error.problems[0].message.startswith("Tệp có ký tự điều khiển")
        assert any(unicodedata.category(c) == "Cc" and c not in "\t\n\r" for c in text)
    else:
        assert decoded == clean(text)


@settings(max_examples=1000)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_give_text_or_input_error(data):
    try:
        decoded = decode_input(data, "a.yaml")
    except InputError as error:
        assert len(error.problems) == 1
    else:
        assert "\r" not in decoded and unicodedata.is_normalized("NFC", decoded)
