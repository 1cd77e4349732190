"""The inspection's documents laid out per Decree 30/2020/NĐ-CP (SPEC §6), like the letters:
the decision (QUYẾT ĐỊNH Về việc kiểm tra …, Căn cứ …, Điều 1–3, the Working Group annexed) and the
result report (BÁO CÁO Kết quả kiểm tra …, Art. 17.3). Rendered on request from what is stored,
so a file always shows the inspection as it is; the lookup is the inspection's row-level rule."""
from __future__ import annotations

import io

from flask import send_file
from flask_babel import lazy_gettext as _l

from app.domain.inspections import ConductedBy
from app.services import inspections
from app.services.errors import NotFound
from app.services.letters import body_paragraphs

FORM_VI = {"regular": "thường xuyên", "periodic": "định kỳ", "ad_hoc": "đột xuất"}


def _agencies(inspection) -> list[str]:
    return sorted(a.agency.name for a in inspection.inspected)


def _issuer(inspection) -> tuple[str, str, str]:
    """(parent body, issuing body, number suffix)."""
    if inspection.conducted_by == ConductedBy.agency and inspection.agency is not None:
        return "UBND TỈNH KHÁNH HÒA", inspection.agency.name, "/QĐ"
    return "ỦY BAN NHÂN DÂN", "TỈNH KHÁNH HÒA", "/QĐ-UBND"


def _member_rows(inspection) -> list[list[str]]:
    rows = []
    ordered = sorted(inspection.members, key=lambda m: (not m.leader, m.user.get_full_name()))
    for n, member in enumerate(ordered, start=1):
        user = member.user
        rows.append([str(n), user.get_full_name(), user.agency.name if user.agency else "Văn phòng UBND tỉnh",
                     "Tổ trưởng" if member.leader else "Thành viên"])
    return rows


def decision_document(inspection):
    from app.render.model import OfficialDocument, Paragraph, Table

    parent, issuing, suffix = _issuer(inspection)
    agencies = _agencies(inspection)
    contents = []
    if inspection.content_implementation:
        contents.append("Việc tổ chức, triển khai và tình hình, kết quả thực hiện nhiệm vụ được giao (Điều 14.1.a)")
    if inspection.content_updating:
        contents.append("Việc cập nhật tình hình, kết quả thực hiện nhiệm vụ trên Hệ thống theo dõi nhiệm vụ "
                        "(Điều 14.1.b)")
    if inspection.content_reporting:
        contents.append("Việc thực hiện chế độ thông tin, báo cáo kết quả thực hiện nhiệm vụ (Điều 14.1.c)")
    body = [Paragraph(f"Căn cứ {line.strip().removeprefix('Căn cứ ').rstrip(';.')};")
            for line in inspection.legal_basis.splitlines() if line.strip()]
    body.append(Paragraph("QUYẾT ĐỊNH:"))
    start, end = inspection.start_on.strftime("%d/%m/%Y"), inspection.end_on.strftime("%d/%m/%Y")
    body.append(Paragraph(
        f"Điều 1. Kiểm tra {FORM_VI[inspection.form]} việc thực hiện nhiệm vụ do Ủy ban nhân dân tỉnh, Chủ tịch "
        f"Ủy ban nhân dân tỉnh giao đối với: {'; '.join(agencies)}. Phạm vi: {inspection.scope}. "
        f"Thời gian kiểm tra: từ ngày {start} đến ngày {end}."))
    if inspection.tasks:
        body.append(Paragraph(f"Nhiệm vụ kiểm tra: {inspection.tasks}"))
    body.append(Paragraph("Nội dung kiểm tra: " + "; ".join(contents)
                          + (f". {inspection.content_text}" if inspection.content_text else ".")))
    body.append(Paragraph(
        "Điều 2. Thành lập Tổ công tác kiểm tra gồm các thành viên có tên tại Phụ lục kèm theo Quyết định này. "
        "Tổ công tác lập kế hoạch kiểm tra, nội dung và đơn vị kiểm tra (Điều 15.3); báo cáo kết quả kiểm tra "
        f"chậm nhất ngày {inspection.report_due_on.strftime('%d/%m/%Y')} (Điều 17)."))
    body.append(Paragraph(
        "Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng Ủy ban nhân dân tỉnh, Thủ trưởng các "
        "cơ quan, đơn vị, địa phương được kiểm tra và các thành viên Tổ công tác chịu trách nhiệm thi hành "
        "Quyết định này."))
    body.append(Table(title="PHỤ LỤC: DANH SÁCH TỔ CÔNG TÁC KIỂM TRA",
                      columns=["STT", "Họ và tên", "Cơ quan, đơn vị", "Nhiệm vụ"], rows=_member_rows(inspection),
                      widths=[0.8, 4, 5, 2], align=["center", "left", "left", "center"]))
    signer = inspection.issued_by.get_full_name() if inspection.issued_by else ""
    chairman = inspection.conducted_by == ConductedBy.office
    return OfficialDocument(
        parent_body=parent, issuing_body=issuing, number=inspection.number, number_suffix=suffix,
        issued_on=inspection.issued_on, year=(inspection.issued_on or inspection.start_on).year,
        title="QUYẾT ĐỊNH",
        title_summary=f"Về việc kiểm tra việc thực hiện nhiệm vụ do UBND tỉnh, Chủ tịch UBND tỉnh giao "
                      f"đối với {', '.join(agencies)}",
        body=body, signer_authority="TM. ỦY BAN NHÂN DÂN" if chairman else None,
        signer_position="CHỦ TỊCH" if chairman else "THỦ TRƯỞNG CƠ QUAN", signer_name=signer,
        cc=["Như Điều 3", "Chủ tịch, các Phó Chủ tịch UBND tỉnh"] + [f"{a}" for a in agencies])


def report_document(inspection):
    from app.render.model import OfficialDocument, Paragraph, Table

    parent, issuing, _ = _issuer(inspection)
    if inspection.conducted_by == ConductedBy.office:
        parent, issuing = "UBND TỈNH KHÁNH HÒA", "VĂN PHÒNG"
    agencies = _agencies(inspection)
    text = inspection.report_body or inspections.draft_report_text(inspection)
    body = [Paragraph(
        f"Thực hiện Quyết định số {inspection.number or '…'} ngày "
        f"{inspection.issued_on.strftime('%d/%m/%Y') if inspection.issued_on else '…'} về việc kiểm tra việc thực "
        f"hiện nhiệm vụ, từ ngày {inspection.start_on.strftime('%d/%m/%Y')} đến ngày "
        f"{inspection.end_on.strftime('%d/%m/%Y')} Tổ công tác đã kiểm tra {', '.join(agencies)}. Kết quả như sau:")]
    body += [Paragraph(p) for p in body_paragraphs(text)]
    rows = [[str(n), f.agency.name, (f"#{f.task_id} " if f.task_id else "") + f.assessment, f.conclusion,
             f.recommendations] for n, f in enumerate(inspection.findings, start=1)]
    if rows:
        body.append(Table(title="KẾT QUẢ KIỂM TRA CHI TIẾT",
                          columns=["STT", "Cơ quan được kiểm tra", "Đánh giá", "Kết luận", "Kiến nghị"],
                          rows=rows, widths=[0.8, 2.6, 3.5, 3.5, 3], align=["center", "left", "left", "left", "left"]))
    leader = next((m.user for m in inspection.members if m.leader), None)
    return OfficialDocument(
        parent_body=parent, issuing_body=issuing, number=inspection.report_number, number_suffix="/BC-VP",
        issued_on=inspection.report_submitted_on, year=(inspection.report_submitted_on or inspection.end_on).year,
        title="BÁO CÁO",
        title_summary="Kết quả kiểm tra việc thực hiện nhiệm vụ do UBND tỉnh, Chủ tịch UBND tỉnh giao",
        recipients=["Ủy ban nhân dân tỉnh", "Chủ tịch Ủy ban nhân dân tỉnh"], body=body,
        signer_authority="TM. TỔ CÔNG TÁC", signer_position="TỔ TRƯỞNG",
        signer_name=leader.get_full_name() if leader else "",
        cc=["Như trên"] + agencies + (["Văn phòng UBND tỉnh (theo dõi, tổng hợp)"]
                                      if inspection.conducted_by == ConductedBy.agency else []))


MIMETYPES = {"pdf": "application/pdf",
             "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def render(inspection, which: str, kind: str) -> bytes:
    doc = decision_document(inspection) if which == "decision" else report_document(inspection)
    if kind == "pdf":
        from app.render.pdf import render_pdf

        return render_pdf(doc)
    from app.render.docx import render_docx

    return render_docx(doc)


def send_inspection_file(inspection_id, which: str, kind: str, viewer):
    """The decision (anyone who sees the inspection) or the result report (app.services.inspections.
    may_read_report: the inspected agencies once it is submitted)."""
    inspection = inspections.visible_inspection(inspection_id, viewer)
    if inspection is None or kind not in MIMETYPES or which not in ("decision", "report"):
        raise NotFound(_l("No such inspection."))
    if which == "report" and not inspections.may_read_report(inspection, viewer):
        raise NotFound(_l("The result report has not been submitted yet."))
    label = (inspection.number or f"du-thao-{inspection.id}").replace("/", "-")
    name = f"{'quyet-dinh-kiem-tra' if which == 'decision' else 'bao-cao-ket-qua-kiem-tra'}-{label}.{kind}"
    return send_file(io.BytesIO(render(inspection, which, kind)), mimetype=MIMETYPES[kind], as_attachment=True,
                     download_name=name, max_age=0)
