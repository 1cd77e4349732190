"""The task import template built by openpyxl from plain values (app.services.task_import
reads them): run in a process of its own (app.render.apart), so openpyxl's import and the
workbook never stay in a web worker (issue 10). No Flask, database or translations here."""
from __future__ import annotations

import io


def build(payload: dict) -> bytes:
    """`payload`: sheet, lists (the sheet names), max_rows, headers, agencies [(name, code)],
    officers [label], document (None, or headers, keys, names {column: header} and choices
    {column: [label]} for the document's columns on the first row)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    document, lists_name = payload["document"], payload["lists"]
    book = Workbook()
    sheet = book.active
    sheet.title = payload["sheet"]
    sheet.append(list(payload["headers"]) + (list(document["headers"]) if document else []))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for letter, width in zip("ABCDEF", (60, 40, 50, 20, 35, 40)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    lists = book.create_sheet(lists_name)
    agencies, officers = payload["agencies"], payload["officers"]
    lists.append(["Cơ quan", "Mã", "Công chức theo dõi"])
    for n in range(max(len(agencies), len(officers))):
        lists.append([
            agencies[n][0] if n < len(agencies) else None,
            agencies[n][1] if n < len(agencies) else None,
            officers[n] if n < len(officers) else None,
        ])
    for row in lists.iter_rows(min_row=2):
        for cell in row:
            cell.data_type = "s" if cell.value is not None else cell.data_type  # text stays text
    lists.sheet_state = "hidden"
    last = payload["max_rows"] + 1
    agency_range = f"'{lists_name}'!$A$2:$A${len(agencies) + 1}"
    lead = DataValidation(type="list", formula1=agency_range, allow_blank=True, showErrorMessage=True,
                          errorTitle="Cơ quan chủ trì", error="Chọn một cơ quan trong danh sách.")
    coordinating = DataValidation(type="list", formula1=agency_range, allow_blank=True, showErrorMessage=False)
    officer = DataValidation(type="list", formula1=f"'{lists_name}'!$C$2:$C${max(len(officers), 1) + 1}",
                             allow_blank=True, showErrorMessage=True, errorTitle="Công chức theo dõi",
                             error="Chọn một công chức trong danh sách.")
    # No date validation on the deadline: an Excel in another locale would refuse a typed
    # 31/12/2026 as text; the import reads both real dates and dd/mm/yyyy text.
    for validation, letter in ((lead, "B"), (coordinating, "C"), (officer, "E")):
        validation.add(f"{letter}2:{letter}{last}")
        sheet.add_data_validation(validation)
    for row in range(2, 1002):
        sheet.cell(row=row, column=4).number_format = "DD/MM/YYYY"
    if document:
        for n, (name, header) in enumerate(document["names"].items()):
            column = "DEFG"[n]
            lists.cell(row=1, column=4 + n, value=header)
            for m, label in enumerate(document["choices"][name], start=2):
                lists.cell(row=m, column=4 + n, value=label)
            validation = DataValidation(
                type="list", formula1=f"'{lists_name}'!${column}$2:${column}${len(document['choices'][name]) + 1}",
                allow_blank=True, showErrorMessage=True)
            target = "GHIJKLMNOP"[document["keys"].index(name)]
            validation.add(f"{target}2:{target}2")
            sheet.add_data_validation(validation)
        for letter in "GHIJKLMNOP":
            sheet.column_dimensions[letter].width = 28
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
