"""Reading an edXML message (QCVN 102:2016/BTTTT; /work/shared/EDXML.md) into what the
register needs (Art. 2.1.a, 2.4, 21: the task system is connected to the document system,
so the Office does not retype what arrives this way).

Tolerant where the senders differ: elements are matched by local name whatever their
namespace or prefix (`edXML:Subject`, `Subject`), the older root (`EdXML`, `EdXMLEnvelope`,
`Manifest/Attachment{FileName, Content}`) is read as well, dates come as `yyyy/MM/dd`,
`dd/MM/yyyy` or ISO, with or without a time, and an attachment may be a zip of the files.
Strict where the register would be wrong: no subject, no code, a date that cannot be read,
an attachment that is not base64 is a ParseError naming the element; the service turns its
`code` into the Vietnamese message. Pure: standard library only.
"""
from __future__ import annotations

import base64
import binascii
import io
import re
import unicodedata
import zipfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date, datetime

from app.domain.dates import in_range

# What a message may hold at most: a directive document is a few files, not an archive.
MAX_MESSAGE_BYTES = 80 * 1024 * 1024
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_FILES = 50
SUBJECT_MAX = 2000  # EDXML.md says 500; a longer one is kept rather than cut, up to this


class ParseError(ValueError):
    """A message the register cannot read. `code` says what is wrong, `element` which
    element of the message (its edXML name), `detail` the offending value if short."""

    def __init__(self, code: str, element: str, detail: str = "") -> None:
        super().__init__(f"{code}: {element} {detail}".strip())
        self.code = code
        self.element = element
        self.detail = detail[:80]


@dataclass(frozen=True)
class Organ:
    organ_id: str
    name: str


@dataclass(frozen=True)
class AttachedFile:
    name: str
    content_type: str
    data: bytes
    description: str = ""
    from_zip: str | None = None  # the zip it was unpacked from


@dataclass(frozen=True)
class ResponseFor:
    organ_id: str
    code: str
    promulgation_date: date | None
    document_id: str


@dataclass(frozen=True)
class EdxmlMessage:
    sender: Organ
    recipients: tuple[Organ, ...]
    document_id: str | None
    code_number: str
    code_notation: str
    place: str
    issued_on: date
    type_code: str
    type_name: str
    subject: str
    content: str
    signer_competence: str
    signer_position: str
    signer_name: str
    due_on: date | None
    to_places: tuple[str, ...]
    priority: int | None
    steering_type: str
    # TraceHeaderList/Bussiness: 0 new, 1 revoke, 2 update, 3 replace.
    business_doc_type: int
    business_reason: str
    business_document_id: str | None
    replaced_document_ids: tuple[str, ...]
    sent_at: datetime | None  # the last TraceHeader's Timestamp
    response_for: tuple[ResponseFor, ...] = ()
    attachments: tuple[AttachedFile, ...] = field(default_factory=tuple)
    older_root: bool = False

    @property
    def number(self) -> str:
        """số, ký hiệu: CodeNumber/CodeNotation, e.g. 2491/STC-BCTC."""
        if self.code_number and self.code_notation:
            return f"{self.code_number}/{self.code_notation}"
        return self.code_number or self.code_notation

    @property
    def doc_type(self) -> str:
        return doc_type_for(self.type_name, self.code_notation)

    @property
    def urgency(self) -> str:
        return urgency_for(self.priority)

    @property
    def is_later_message(self) -> bool:
        return self.business_doc_type in (1, 2, 3)


# ----------------------------------------------------------------- mappings

# DocumentType/Type numbering differs by vendor (EDXML.md): map on TypeName, keep the code.
_TYPE_NAMES = {
    "cong van": "official_letter",
    "quyet dinh": "decision",
    "chi thi": "directive",
    "thong bao": "notice",
    "thong bao ket luan": "notice",
    "ke hoach": "plan",
    "bao cao": "report",
    "to trinh": "proposal",
    "chuong trinh": "programme",
    "cong dien": "telegram",
    "giay moi": "invitation",
}
# Decree 30/2020 abbreviations, when TypeName is missing: "12/QĐ-UBND" is a decision.
_NOTATION_PREFIX = {
    "qd": "decision", "ct": "directive", "tb": "notice", "kh": "plan", "bc": "report",
    "ttr": "proposal", "ctr": "programme", "cd": "telegram", "gm": "invitation",
}


def _fold(text: str) -> str:
    """Lower case without diacritics (đ → d), single spaces: "Quyết  định" → "quyet dinh"."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return " ".join(text.lower().split())


def doc_type_for(type_name: str, notation: str = "") -> str:
    folded = _fold(type_name or "")
    if folded in _TYPE_NAMES:
        return _TYPE_NAMES[folded]
    for name, value in _TYPE_NAMES.items():
        if folded.startswith(name + " "):
            return value
    prefix = _fold((notation or "").split("-", 1)[0])
    if "-" in (notation or "") and prefix in _NOTATION_PREFIX:
        return _NOTATION_PREFIX[prefix]
    return "official_letter"  # a công văn has no abbreviation; the Office corrects at entry


# OtherInfo/Priority: 0–3, rising urgency (thường, khẩn, thượng khẩn, hỏa tốc).
_URGENCY = {0: "normal", 1: "urgent", 2: "very_urgent", 3: "flash"}


def urgency_for(priority: int | None) -> str:
    return _URGENCY.get(priority or 0, "normal")


def issuer_for(sender_id: str, province_codes, competence: str, position: str) -> str:
    """Art. 6.1 / 6.3: the province's own committee (or its Chairman) by its organisation
    code; any other sender is a higher authority. "TM. ỦY BAN NHÂN DÂN" signs for the
    Committee; "CHỦ TỊCH" or "KT. CHỦ TỊCH" without TM. for the Chairman."""
    if sender_id.strip() not in {c.strip() for c in province_codes if c and c.strip()}:
        return "higher_authority"
    folded = _fold(competence)
    if folded.startswith("tm"):
        return "committee"
    if "chu tich" in folded or (not folded and "chu tich" in _fold(position)):
        return "chairman"
    return "committee"


# ----------------------------------------------------------------- dates

_DATE_FORMATS = ("%Y/%m/%d", "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%Y.%m.%d", "%d.%m.%Y")
_TIME_SPLIT = re.compile(r"[ T]")


def parse_date(value: str, element: str) -> date:
    """yyyy/MM/dd, dd/MM/yyyy or ISO, optionally followed by a time (ignored)."""
    return parse_datetime(value, element).date()


def parse_datetime(value: str, element: str) -> datetime:
    text = (value or "").strip()
    if not text:
        raise ParseError("missing", element)
    parts = _TIME_SPLIT.split(text, 1)
    day_part, time_part = parts[0], (parts[1] if len(parts) > 1 else "")
    day = None
    for fmt in _DATE_FORMATS:
        try:
            day = datetime.strptime(day_part, fmt)
            break
        except ValueError:
            continue
    if day is None:
        raise ParseError("bad_date", element, text)
    time_part = time_part.strip().rstrip("Z")
    time_part = re.split(r"[+]", time_part)[0]
    if time_part:
        for fmt in ("%H:%M:%S", "%H:%M", "%H:%M:%S.%f"):
            try:
                moment = datetime.strptime(time_part, fmt)
                day = day.replace(hour=moment.hour, minute=moment.minute, second=moment.second)
                break
            except ValueError:
                continue
        else:
            raise ParseError("bad_date", element, text)
    if not in_range(day.date()):
        raise ParseError("date_out_of_range", element, text)
    return day


# ----------------------------------------------------------------- XML helpers

def _local(tag) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()


def _children(node, name: str):
    name = name.lower()
    return [child for child in node if _local(child.tag) == name] if node is not None else []


def _child(node, *path: str):
    for name in path:
        if node is None:
            return None
        found = _children(node, name)
        node = found[0] if found else None
    return node


def _text(node, *path: str) -> str:
    found = _child(node, *path) if path else node
    if found is None:
        return ""
    return " ".join("".join(found.itertext()).split())


def _find_all(node, name: str):
    name = name.lower()
    return [el for el in node.iter() if _local(el.tag) == name]


def _organ(node) -> Organ:
    return Organ(organ_id=_text(node, "OrganId"), name=_text(node, "OrganName"))


# ----------------------------------------------------------------- attachments

_CONTENT_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
    "image/png": "png",
    "image/jpeg": "jpg",
}


def _decode_base64(text: str, element: str, name: str) -> bytes:
    compact = "".join(text.split())
    if not compact:
        raise ParseError("empty_attachment", element, name)
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise ParseError("bad_base64", element, name)


def _is_zip(name: str, content_type: str, data: bytes) -> bool:
    return data.startswith(b"PK\x03\x04") and (
        name.lower().endswith(".zip") or "zip" in content_type.lower())


def _unzip(name: str, data: bytes, element: str) -> list[AttachedFile]:
    """The files of a zip attachment (folders flattened); refused if it would unpack to
    more than MAX_UNZIPPED_BYTES or MAX_FILES, or is not a readable zip."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) > MAX_FILES or sum(m.file_size for m in members) > MAX_UNZIPPED_BYTES:
            raise ParseError("zip_too_large", element, name)
        files = []
        for member in members:
            inner = member.filename.replace("\\", "/").rsplit("/", 1)[-1]
            if not inner or inner.startswith("."):
                continue
            if member.flag_bits & 0x800 == 0:  # not flagged UTF-8: Vietnamese Windows zips use cp437 bytes
                try:
                    inner = inner.encode("cp437").decode("utf-8")
                except (UnicodeEncodeError, UnicodeDecodeError):
                    pass
            content = archive.read(member)
            files.append(AttachedFile(name=inner, content_type="", data=content, from_zip=name))
        return files
    except ParseError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, NotImplementedError, OSError, EOFError):
        raise ParseError("bad_zip", element, name)


def _attachments(root) -> list[AttachedFile]:
    files: list[AttachedFile] = []
    for node in _find_all(root, "Attachment"):
        # Reference elements of the manifest describe attachments; those have no content.
        encoded = _child(node, "ContentTransferEncoded")
        if encoded is None:
            encoded = _child(node, "Content")
        if encoded is None:
            continue
        name = _text(node, "AttachmentName") or _text(node, "FileName") or _text(node, "ContentId")
        content_type = _text(node, "ContentType")
        if not name:
            raise ParseError("missing", "AttachmentName")
        element = _local(encoded.tag) == "content" and "Attachment/Content" or "Attachment/ContentTransferEncoded"
        data = _decode_base64("".join(encoded.itertext()), element, name)
        if _is_zip(name, content_type, data):
            files.extend(_unzip(name, data, "Attachment"))
        else:
            files.append(AttachedFile(name=name, content_type=content_type, data=data,
                                      description=_text(node, "Description")))
        if len(files) > MAX_FILES:
            raise ParseError("zip_too_large", "AttachmentEncoded")
    return files


# ----------------------------------------------------------------- the message

def parse(data: bytes | str) -> EdxmlMessage:
    """The message, or a ParseError naming the element that is missing or unreadable."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not data or not data.strip():
        raise ParseError("empty", "edXML")
    if len(data) > MAX_MESSAGE_BYTES:
        raise ParseError("too_large", "edXML")
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        # A DTD can expand entities without bound (billion laughs) or read local files.
        raise ParseError("doctype", "edXML")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        raise ParseError("not_xml", "edXML", str(error))
    if _local(root.tag) not in ("edxml", "edxmlenvelope", "edxmlmessage"):
        raise ParseError("not_edxml", "edXML", _local(root.tag))
    older = root.tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1] == "EdXML" or _child(root, "Manifest") is not None
    header = next(iter(_find_all(root, "MessageHeader")), None)
    if header is None:
        raise ParseError("missing", "MessageHeader")

    from_node = _child(header, "From")
    if from_node is None or not _text(from_node, "OrganId"):
        raise ParseError("missing", "From/OrganId")
    code = _child(header, "Code")
    if code is None:
        raise ParseError("missing", "Code")
    code_number, code_notation = _text(code, "CodeNumber"), _text(code, "CodeNotation")
    if not code_number:
        raise ParseError("missing", "Code/CodeNumber")
    subject = _text(header, "Subject")
    if not subject:
        raise ParseError("missing", "Subject")
    if len(subject) > SUBJECT_MAX:
        raise ParseError("too_long", "Subject")
    issued = _text(header, "PromulgationInfo", "PromulgationDate")
    issued_on = parse_date(issued, "PromulgationInfo/PromulgationDate")
    due_text = _text(header, "DueDate")
    due_on = parse_date(due_text, "DueDate") if due_text else None
    priority_text = _text(header, "OtherInfo", "Priority")
    try:
        priority = int(priority_text) if priority_text else None
    except ValueError:
        raise ParseError("bad_number", "OtherInfo/Priority", priority_text)
    if priority is not None and not 0 <= priority <= 3:
        raise ParseError("bad_number", "OtherInfo/Priority", priority_text)

    traces = _find_all(root, "TraceHeader")
    sent_at = None
    for trace in traces:
        stamp = _text(trace, "Timestamp")
        if stamp:
            sent_at = parse_datetime(stamp, "TraceHeader/Timestamp")
    business = next(iter(_find_all(root, "Bussiness")), None) or next(iter(_find_all(root, "Business")), None)
    kind_text = _text(business, "BussinessDocType") or _text(business, "BusinessDocType")
    try:
        business_doc_type = int(kind_text) if kind_text else 0
    except ValueError:
        raise ParseError("bad_number", "Bussiness/BussinessDocType", kind_text)
    if business_doc_type not in (0, 1, 2, 3):
        raise ParseError("bad_number", "Bussiness/BussinessDocType", kind_text)
    replaced = tuple(text for text in (_text(n, "DocumentId") for n in _find_all(business, "ReplacementInfo"))
                     if text) if business is not None else ()

    responses = []
    for node in _children(header, "ResponseFor"):
        when = _text(node, "PromulgationDate")
        responses.append(ResponseFor(organ_id=_text(node, "OrganId"), code=_text(node, "Code"),
                                     promulgation_date=parse_date(when, "ResponseFor/PromulgationDate")
                                     if when else None,
                                     document_id=_text(node, "DocumentId")))
    signer = _child(header, "SignerInfo")
    return EdxmlMessage(
        sender=_organ(from_node),
        recipients=tuple(_organ(n) for n in _children(header, "To")),
        document_id=_text(header, "DocumentId") or None,
        code_number=code_number, code_notation=code_notation,
        place=_text(header, "PromulgationInfo", "Place"),
        issued_on=issued_on,
        type_code=_text(header, "DocumentType", "Type"),
        type_name=_text(header, "DocumentType", "TypeName") or _text(header, "DocumentType", "TypeDetail"),
        subject=subject, content=_text(header, "Content"),
        signer_competence=_text(signer, "Competence"), signer_position=_text(signer, "Position"),
        signer_name=_text(signer, "FullName"),
        due_on=due_on,
        to_places=tuple(t for t in (_text(n) for n in _children(_child(header, "ToPlaces"), "Place")) if t),
        priority=priority,
        steering_type=_text(header, "SteeringType"),
        business_doc_type=business_doc_type,
        business_reason=_text(business, "BussinessDocReason") or _text(business, "BusinessDocReason"),
        business_document_id=_text(business, "DocumentId") or None,
        replaced_document_ids=replaced,
        sent_at=sent_at,
        response_for=tuple(responses),
        attachments=tuple(_attachments(root)),
        older_root=older,
    )


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def content_type_extension(content_type: str) -> str:
    return _CONTENT_TYPES.get((content_type or "").split(";")[0].strip().lower(), "")


# ----------------------------------------------------------------- status reply

STATUS_NAMESPACE = "http://www.mic.gov.vn/TBT/QCVN_102_2016"


@dataclass(frozen=True)
class StatusReply:
    """What a receiving system answers (EDXML.md, status replies): 03 registered, 04 assigned."""

    from_organ_id: str
    from_organ_name: str
    original_organ_id: str
    original_code: str
    original_date: date
    original_document_id: str
    status_code: str
    description: str
    timestamp: datetime
    staff: str = ""


def status_xml(reply: StatusReply) -> bytes:
    ns = STATUS_NAMESPACE
    ET.register_namespace("edXML", ns)

    def el(parent, name, text=None):
        node = ET.SubElement(parent, f"{{{ns}}}{name}")
        if text is not None:
            node.text = text
        return node

    root = ET.Element(f"{{{ns}}}Status")
    header = el(root, "Header")
    sender = el(header, "From")
    el(sender, "OrganId", reply.from_organ_id)
    el(sender, "OrganName", reply.from_organ_name)
    response = el(header, "ResponseFor")
    el(response, "OrganId", reply.original_organ_id)
    el(response, "Code", reply.original_code)
    el(response, "PromulgationDate", reply.original_date.strftime("%Y/%m/%d"))
    el(response, "DocumentId", reply.original_document_id)
    staff = el(header, "StaffInfo")
    el(staff, "Staff", reply.staff)
    el(header, "StatusCode", reply.status_code)
    el(header, "Description", reply.description)
    el(header, "Timestamp", reply.timestamp.strftime("%Y/%m/%d %H:%M:%S"))
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
