"""The edXML parser (app/domain/edxml.py) on messages of every variant EDXML.md lists,
built here (tests/edxml_samples.py); malformed input is refused naming the element."""
from __future__ import annotations

import datetime as dt

import pytest

from app.domain import edxml
from app.domain.edxml import ParseError
from tests.edxml_samples import DOCX, PDF, b64, message, zipped


@pytest.mark.parametrize("style", ["prefixed", "default_ns", "plain", "older"])
def test_every_namespace_variant_reads_the_same_document(style):
    parsed = edxml.parse(message(style=style))
    assert parsed.number == "2491/VPCP-KTTH"
    assert parsed.issued_on == dt.date(2026, 11, 20)
    assert parsed.subject.startswith("V/v triển khai")
    assert parsed.sender.organ_id == "000.00.00.G22"
    assert parsed.sender.name == "Văn phòng Chính phủ"
    assert parsed.signer_name == "Trần Văn Sơn" and parsed.signer_position == "Bộ trưởng, Chủ nhiệm"
    assert parsed.doc_type == "official_letter" and parsed.type_code == "1"
    assert [f.name for f in parsed.attachments] == ["cong-van.pdf"]
    assert parsed.attachments[0].data == PDF
    assert parsed.to_places == ("UBND các tỉnh, thành phố trực thuộc Trung ương",)
    assert parsed.older_root == (style == "older")


@pytest.mark.parametrize("written, expected", [
    ("2026/11/20", dt.date(2026, 11, 20)),
    ("20/11/2026", dt.date(2026, 11, 20)),
    ("2026/11/20 08:15:00", dt.date(2026, 11, 20)),
    ("20/11/2026 08:15", dt.date(2026, 11, 20)),
    ("2026-11-20T08:15:00+07:00", dt.date(2026, 11, 20)),
    ("05/02/2026", dt.date(2026, 2, 5)),  # day first, never read as May 2nd
])
def test_dates_in_each_senders_format(written, expected):
    assert edxml.parse(message(date=written)).issued_on == expected


def test_a_due_date_and_the_trace_timestamp_are_read():
    parsed = edxml.parse(message(due="15/12/2026", timestamp="2026/11/21 09:05:07"))
    assert parsed.due_on == dt.date(2026, 12, 15)
    assert parsed.sent_at == dt.datetime(2026, 11, 21, 9, 5, 7)


@pytest.mark.parametrize("priority, urgency", [("0", "normal"), ("1", "urgent"), ("2", "very_urgent"),
                                               ("3", "flash"), (None, "normal")])
def test_priority_gives_the_urgency(priority, urgency):
    assert edxml.parse(message(priority=priority)).urgency == urgency


@pytest.mark.parametrize("type_name, notation, doc_type", [
    ("Quyết định", "QĐ-UBND", "decision"), ("QUYẾT ĐỊNH", "QĐ-TTg", "decision"),
    ("Chỉ thị", "CT-TTg", "directive"), ("Thông báo kết luận", "TB-VPCP", "notice"),
    ("Kế hoạch", "KH-UBND", "plan"), ("Công điện", "CĐ-TTg", "telegram"),
    ("", "QĐ-UBND", "decision"), ("Loại lạ", "UBND-KT", "official_letter"),
])
def test_the_type_is_mapped_on_its_name_not_the_vendors_code(type_name, notation, doc_type):
    parsed = edxml.parse(message(type_name=type_name, notation=notation, type_code="99"))
    assert parsed.doc_type == doc_type and parsed.type_code == "99"


def test_a_zipped_attachment_is_unpacked_into_its_files():
    archive = zipped({"van-ban/quyet-dinh.pdf": PDF, "phu-luc.docx": DOCX})
    parsed = edxml.parse(message(attachments=[("tep.zip", "application/zip", b64(archive))]))
    assert sorted(f.name for f in parsed.attachments) == ["phu-luc.docx", "quyet-dinh.pdf"]
    assert {f.from_zip for f in parsed.attachments} == {"tep.zip"}
    assert next(f for f in parsed.attachments if f.name == "quyet-dinh.pdf").data == PDF


def test_a_zipped_attachment_in_the_older_variant():
    archive = zipped({"a.pdf": PDF})
    parsed = edxml.parse(message(style="older", attachments=[("goi.zip", "application/zip", b64(archive))]))
    assert [f.name for f in parsed.attachments] == ["a.pdf"]


@pytest.mark.parametrize("kind, code", [("1", 1), ("2", 2), ("3", 3), ("0", 0)])
def test_later_messages_name_their_business_type(kind, code):
    parsed = edxml.parse(message(business=kind, reason="Sai sót số liệu",
                                 business_document_id="000.00.00.G22,2026/11/20,2491/VPCP-KTTH",
                                 replaced=("000.00.00.G22,2026/11/01,2000/VPCP-KTTH",)))
    assert parsed.business_doc_type == code
    assert parsed.is_later_message == (code != 0)
    assert parsed.business_reason == "Sai sót số liệu"
    assert parsed.replaced_document_ids == ("000.00.00.G22,2026/11/01,2000/VPCP-KTTH",)


def test_issuer_by_organisation_code_and_competence():
    province = ["000.00.00.H32"]
    assert edxml.issuer_for("000.00.00.G22", province, "KT. BỘ TRƯỞNG", "") == "higher_authority"
    assert edxml.issuer_for("000.00.00.H32", province, "TM. ỦY BAN NHÂN DÂN", "Chủ tịch") == "committee"
    assert edxml.issuer_for("000.00.00.H32", province, "KT. CHỦ TỊCH", "Phó Chủ tịch") == "chairman"
    assert edxml.issuer_for("000.00.00.H32", province, "", "Chủ tịch") == "chairman"
    assert edxml.issuer_for("H01.151", ["H01.151"], "", "Giám đốc") == "committee"


# ---------------------------------------------------------------- malformed

@pytest.mark.parametrize("data, code, element", [
    (b"", "empty", "edXML"),
    (b"this is not xml <", "not_xml", "edXML"),
    (b"<html><body>no</body></html>", "not_edxml", "edXML"),
    (message(subject=None), "missing", "Subject"),
    (message(subject="   "), "missing", "Subject"),
    (message(number=None, notation=None), "missing", "Code"),
    (message(number=None), "missing", "Code/CodeNumber"),
    (message(date="32/13/2026"), "bad_date", "PromulgationInfo/PromulgationDate"),
    (message(date="hôm qua"), "bad_date", "PromulgationInfo/PromulgationDate"),
    (message(date="9999/12/31"), "date_out_of_range", "PromulgationInfo/PromulgationDate"),
    (message(due="30/02/2026"), "bad_date", "DueDate"),
    (message(priority="khẩn"), "bad_number", "OtherInfo/Priority"),
    (message(attachments=[("a.pdf", "application/pdf", "not*base64!")]), "bad_base64",
     "Attachment/ContentTransferEncoded"),
    (message(style="older", attachments=[("a.pdf", "application/pdf", "%%%")]), "bad_base64",
     "Attachment/Content"),
    (message(attachments=[("a.pdf", "application/pdf", "")]), "empty_attachment",
     "Attachment/ContentTransferEncoded"),
    (message(attachments=[("x.zip", "application/zip", b64(b"PK\x03\x04broken"))]), "bad_zip", "Attachment"),
    (message(timestamp="sáng nay"), "bad_date", "TraceHeader/Timestamp"),
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><edXML>&a;</edXML>', "doctype", "edXML"),
])
def test_malformed_messages_are_refused_naming_the_element(data, code, element):
    with pytest.raises(ParseError) as caught:
        edxml.parse(data)
    assert (caught.value.code, caught.value.element) == (code, element)


def test_a_message_without_a_header_names_it():
    with pytest.raises(ParseError) as caught:
        edxml.parse(b"<edXML><edXMLEnvelope/></edXML>")
    assert caught.value.element == "MessageHeader"


def test_the_status_reply_is_an_edxml_status_message():
    import xml.etree.ElementTree as ET

    reply = edxml.StatusReply(from_organ_id="000.00.00.H32", from_organ_name="UBND tỉnh Khánh Hòa",
                              original_organ_id="000.00.00.G22", original_code="2491/VPCP-KTTH",
                              original_date=dt.date(2026, 11, 20),
                              original_document_id="000.00.00.G22,2026/11/20,2491/VPCP-KTTH",
                              status_code="03", description="Đã vào sổ", timestamp=dt.datetime(2026, 11, 21, 8, 0))
    root = ET.fromstring(edxml.status_xml(reply))
    ns = {"e": edxml.STATUS_NAMESPACE}
    assert root.find("e:Header/e:StatusCode", ns).text == "03"
    assert root.find("e:Header/e:ResponseFor/e:Code", ns).text == "2491/VPCP-KTTH"
    assert root.find("e:Header/e:ResponseFor/e:PromulgationDate", ns).text == "2026/11/20"
    assert root.find("e:Header/e:Timestamp", ns).text == "2026/11/21 08:00:00"
