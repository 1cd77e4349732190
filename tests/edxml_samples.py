"""edXML messages built by the tests themselves, in every variant /work/shared/EDXML.md lists:
prefixed (`edXML:`), default namespace without prefix, no namespace at all, the older root
(`EdXML`/`EdXMLEnvelope`, `Manifest/Attachment{FileName, Content}`); dates yyyy/MM/dd,
dd/MM/yyyy, with a time; attachments as base64 of the file or of a zip."""
from __future__ import annotations

import base64
import io
import zipfile
from xml.sax.saxutils import escape

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOCX = b"PK\x03\x04" + b"\x00" * 40  # a docx starts like a zip (attachments.MAGIC)


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def b64(data: bytes) -> str:
    encoded = base64.b64encode(data).decode()
    return "\n".join(encoded[i:i + 76] for i in range(0, len(encoded), 76))  # as MIME senders wrap it


def message(*, style: str = "prefixed", organ_id: str = "000.00.00.G22",
            organ_name: str = "Văn phòng Chính phủ", number: str | None = "2491",
            notation: str | None = "VPCP-KTTH", date: str = "2026/11/20",
            subject: str | None = "V/v triển khai các giải pháp thúc đẩy giải ngân vốn đầu tư công",
            type_name: str = "Công văn", type_code: str = "1", priority: str | None = "0",
            signer: str = "Trần Văn Sơn", position: str = "Bộ trưởng, Chủ nhiệm",
            competence: str = "KT. BỘ TRƯỞNG", due: str | None = None,
            document_id: str | None = "default", business: str | None = None, reason: str = "",
            business_document_id: str | None = None, replaced: tuple[str, ...] = (),
            attachments: list[tuple[str, str, str]] | None = None, places: tuple[str, ...] = (
                "UBND các tỉnh, thành phố trực thuộc Trung ương",),
            timestamp: str = "2026/11/20 15:30:00", extra_header: str = "") -> bytes:
    """One message. `attachments`: (name, content type, base64 text)."""
    if document_id == "default":
        document_id = f"{organ_id},{date.split(' ')[0]},{number}/{notation}"
    if attachments is None:
        attachments = [("cong-van.pdf", "application/pdf", b64(PDF))]
    older = style == "older"
    if style == "prefixed":
        p, decl = "edXML:", f' xmlns:edXML="{NS}"'
    elif style == "default_ns":
        p, decl = "", f' xmlns="{NS}"'
    else:  # "plain" and "older": no namespace at all
        p, decl = "", ""

    def el(name, value):
        return "" if value is None else f"<{p}{name}>{escape(value)}</{p}{name}>"

    code = "" if number is None and notation is None else (
        f"<{p}Code>{el('CodeNumber', number)}{el('CodeNotation', notation)}</{p}Code>")
    to_places = "".join(el("Place", place) for place in places)
    bussiness = ""
    if business is not None:
        replacement = "".join(f"<{p}ReplacementInfo>{el('DocumentId', d)}</{p}ReplacementInfo>" for d in replaced)
        bussiness = (f"<{p}Bussiness>{el('BussinessDocType', business)}{el('BussinessDocReason', reason)}"
                     f"{el('DocumentId', business_document_id)}"
                     f"<{p}ReplacementInfoList>{replacement}</{p}ReplacementInfoList></{p}Bussiness>")
    header = (
        f"<{p}MessageHeader>"
        f"<{p}From>{el('OrganId', organ_id)}{el('OrganName', organ_name)}{el('OrganAdd', 'Hà Nội')}</{p}From>"
        f"<{p}To>{el('OrganId', '000.00.00.H32')}{el('OrganName', 'UBND tỉnh Khánh Hòa')}</{p}To>"
        f"{el('DocumentId', document_id)}{code}"
        f"<{p}PromulgationInfo>{el('Place', 'Hà Nội')}{el('PromulgationDate', date)}</{p}PromulgationInfo>"
        f"<{p}DocumentType>{el('Type', type_code)}{el('TypeName', type_name)}</{p}DocumentType>"
        f"{el('Subject', subject)}{el('Content', 'Nội dung tóm tắt')}"
        f"<{p}SignerInfo>{el('Competence', competence)}{el('Position', position)}{el('FullName', signer)}</{p}SignerInfo>"
        f"{el('DueDate', due)}<{p}ToPlaces>{to_places}</{p}ToPlaces>"
        f"<{p}OtherInfo>{el('Priority', priority)}{el('PageAmount', '2')}</{p}OtherInfo>"
        f"{extra_header}</{p}MessageHeader>"
        f"<{p}TraceHeaderList><{p}TraceHeader>{el('OrganId', organ_id)}{el('Timestamp', timestamp)}</{p}TraceHeader>"
        f"{bussiness}</{p}TraceHeaderList>"
    )
    if older:
        files = "".join(f"<Attachment>{el('FileName', n)}{el('ContentType', t)}<Content>{d}</Content></Attachment>"
                        for n, t, d in attachments)
        body = (f'<?xml version="1.0" encoding="UTF-8"?><EdXML><EdXMLEnvelope><EdXMLHeader>{header}'
                f"</EdXMLHeader><EdXMLBody><Manifest>{files}</Manifest></EdXMLBody></EdXMLEnvelope></EdXML>")
        return body.encode("utf-8")
    refs = "".join(f"<{p}Reference>{el('ContentId', f'cid:{i}')}{el('ContentType', t)}{el('AttachmentName', n)}"
                   f"</{p}Reference>" for i, (n, t, _) in enumerate(attachments))
    files = "".join(f"<{p}Attachment>{el('ContentId', f'cid:{i}')}{el('AttachmentName', n)}{el('ContentType', t)}"
                    f"<{p}ContentTransferEncoded>{d}</{p}ContentTransferEncoded></{p}Attachment>"
                    for i, (n, t, d) in enumerate(attachments))
    body = (f'<?xml version="1.0" encoding="UTF-8"?><{p}edXML{decl}><{p}edXMLEnvelope><{p}edXMLHeader>{header}'
            f"<{p}Signature/></{p}edXMLHeader><{p}edXMLBody><{p}edXMLManifest version=\"1.0\">{refs}"
            f"</{p}edXMLManifest></{p}edXMLBody></{p}edXMLEnvelope>"
            f"<{p}AttachmentEncoded>{files}</{p}AttachmentEncoded></{p}edXML>")
    return body.encode("utf-8")
