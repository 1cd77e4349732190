"""The texts of a document that Decree 30/2020/NĐ-CP fixes, decided once for PDF and DOCX."""
import datetime as dt

import pytest

from app.render.model import OfficialDocument, Table, date_line


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 2, 5), "Khánh Hòa, ngày 05 tháng 02 năm 2026"),
        (dt.date(2026, 1, 9), "Khánh Hòa, ngày 09 tháng 01 năm 2026"),
        (dt.date(2026, 11, 15), "Khánh Hòa, ngày 15 tháng 11 năm 2026"),
        (dt.date(2026, 3, 5), "Khánh Hòa, ngày 05 tháng 3 năm 2026"),
        (dt.date(2026, 12, 31), "Khánh Hòa, ngày 31 tháng 12 năm 2026"),
        (dt.date(2026, 10, 10), "Khánh Hòa, ngày 10 tháng 10 năm 2026"),
        (dt.date(2025, 2, 28), "Khánh Hòa, ngày 28 tháng 02 năm 2025"),
    ],
)
def test_date_line_pads_days_below_10_and_months_1_and_2_only(day, expected):
    assert date_line("Khánh Hòa", day) == expected


def test_a_registered_number_follows_so():
    assert OfficialDocument(number="123/VP-TH").number_line() == "Số: 123/VP-TH"


def test_a_bare_number_takes_the_suffix():
    doc = OfficialDocument(number="123", number_suffix="/VP-TH")
    assert doc.number_line() == "Số: 123/VP-TH"


def test_a_draft_leaves_room_for_the_number_before_the_suffix():
    line = OfficialDocument(number=None, number_suffix="/VP-TH").number_line()
    assert line.startswith("Số:") and line.endswith("/VP-TH")
    assert line == "Số:" + " " * 8 + "/VP-TH"


def test_a_draft_leaves_the_day_and_month_blank_with_the_given_year():
    doc = OfficialDocument(issued_on=None, year=2026)
    assert doc.date_text() == "Khánh Hòa, ngày      tháng      năm 2026"


def test_a_draft_without_a_year_uses_this_year():
    doc = OfficialDocument(issued_on=None)
    assert doc.date_text(today=dt.date(2027, 6, 1)).endswith("năm 2027")


def test_an_issued_document_prints_its_date():
    doc = OfficialDocument(place="Khánh Hòa", issued_on=dt.date(2026, 2, 5), year=1999)
    assert doc.date_text() == "Khánh Hòa, ngày 05 tháng 02 năm 2026"


def test_the_summary_of_a_cong_van_starts_with_v_v_once():
    assert OfficialDocument(summary="đôn đốc thực hiện").summary_line() == "V/v đôn đốc thực hiện"
    assert OfficialDocument(summary="V/v đôn đốc").summary_line() == "V/v đôn đốc"
    assert OfficialDocument(summary=None).summary_line() is None


def test_one_recipient_sits_on_the_kinh_gui_line_ending_with_a_full_stop():
    assert OfficialDocument(recipients=["Sở Tài chính"]).recipient_lines() == ["Sở Tài chính."]


def test_several_recipients_take_a_dash_and_a_semicolon_and_the_last_a_full_stop():
    doc = OfficialDocument(recipients=["Sở Tài chính;", "Sở Nội vụ", "Sở Y tế."])
    assert doc.recipient_lines() == ["- Sở Tài chính;", "- Sở Nội vụ;", "- Sở Y tế."]


def test_noi_nhan_always_ends_with_the_archive_line():
    doc = OfficialDocument(cc=["Như trên", "Chủ tịch UBND tỉnh (b/c);"])
    assert doc.cc_lines() == ["- Như trên;", "- Chủ tịch UBND tỉnh (b/c);", "- Lưu: VT, TH."]
    assert OfficialDocument().cc_lines() == ["- Lưu: VT, TH."]
    assert OfficialDocument(archive="Lưu: VT, KT").cc_lines() == ["- Lưu: VT, KT."]


def test_bodies_titles_marks_and_signature_print_in_capitals():
    doc = OfficialDocument(
        parent_body="Ubnd tỉnh Khánh Hòa",
        issuing_body="Văn phòng",
        title="Báo cáo",
        urgency_mark="hỏa tốc",
        secrecy_mark="mật",
        signer_authority="kt. chánh văn phòng",
        signer_position="phó chánh văn phòng",
    )
    assert doc.parent_body_text() == "UBND TỈNH KHÁNH HÒA"
    assert doc.issuing_body_text() == "VĂN PHÒNG"
    assert doc.title_text() == "BÁO CÁO"
    assert doc.marks() == ["HỎA TỐC", "MẬT"]
    assert doc.signature_lines() == ["KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG"]


def test_a_signer_without_authority_signs_with_the_position_only():
    assert OfficialDocument(signer_position="Chánh Văn phòng").signature_lines() == [
        "CHÁNH VĂN PHÒNG"
    ]


def test_the_metadata_title_is_the_summary_or_the_title():
    assert OfficialDocument(summary="đôn đốc").metadata_title() == "V/v đôn đốc"
    titled = OfficialDocument(title="Báo cáo", title_summary="Kết quả tháng 01")
    assert titled.metadata_title() == "BÁO CÁO Kết quả tháng 01"


def test_table_widths_are_relative():
    table = Table(columns=["a", "b"], rows=[["1", "2"]], widths=[1, 3])
    assert table.relative_widths() == [0.25, 0.75]
    assert Table(columns=["a", "b"], rows=[]).relative_widths() == [0.5, 0.5]


def test_a_table_rejects_rows_widths_or_alignments_of_the_wrong_length():
    with pytest.raises(ValueError):
        Table(columns=["a", "b"], rows=[["1"]])
    with pytest.raises(ValueError):
        Table(columns=["a", "b"], rows=[], widths=[1])
    with pytest.raises(ValueError):
        Table(columns=["a"], rows=[], align=["middle"])
