"""Readable names for downloaded files: "bao-cao-thang-12-2026-STC.pdf", not
"monthly-2026-12". ASCII only (letters without their diacritics), so every browser and
mail client keeps them; send_file adds filename*=UTF-8 when a name is not ASCII."""
from __future__ import annotations

import re
import unicodedata

from app.models import PeriodicReport
from app.period_labels import period_slug


def ascii_slug(text: str) -> str:
    """"Sở Tài chính" -> "so-tai-chinh"; đ/Đ become d/D."""
    text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    text = text.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")


def report_file_name(report: PeriodicReport, period, extension: str) -> str:
    """bao-cao-thang-12-2026-STC.pdf; the Office's: bao-cao-tong-hop-thang-12-2026.pdf."""
    if report.agency is None:
        return f"bao-cao-tong-hop-{period_slug(period)}.{extension}"
    return f"bao-cao-{period_slug(period)}-{ascii_slug(report.agency.code) or report.agency_id}.{extension}"
