"""Khánh Hòa's agencies for seed data (SPEC §7).

Pure data and logic: no Flask, no database. The provincial bodies are listed
here by hand; the 65 commune-level units after the 1 July 2025 reorganisation
are read from the ``vietnam-provinces`` package (province code 56), so a newer
package release is picked up without editing this file.
"""
from __future__ import annotations

from dataclasses import dataclass

from vietnam_provinces import ProvinceCode, VietNamDivisionType, Ward

from app.domain.vocabulary import AgencyKind

#: Khánh Hòa in the package (and in the national list of administrative units).
KHANH_HOA = ProvinceCode.P_56

#: Code of the Office of the Provincial People's Committee (Văn phòng UBND tỉnh).
OFFICE_CODE = "VPUB"


@dataclass(frozen=True)
class AgencySeed:
    code: str  # short ASCII code ("STC") or, for communes, the official 5-digit code ("22366")
    name: str  # common full name ("Sở Tài chính", "Phường Nha Trang")
    short_name: str  # compact label for tables ("Sở Tài chính", "P. Nha Trang")
    kind: AgencyKind
    parent_code: str | None = None


# --------------------------------------------------------------------------
# Provincial bodies
# --------------------------------------------------------------------------

_K = AgencyKind

PROVINCIAL_AGENCIES: tuple[AgencySeed, ...] = (
    AgencySeed(OFFICE_CODE, "Văn phòng UBND tỉnh", "VP UBND tỉnh", _K.office),
    # Specialised agencies under Nghị định 150/2025/NĐ-CP (SPEC §7).
    AgencySeed("SNV", "Sở Nội vụ", "Sở Nội vụ", _K.department),
    AgencySeed("STP", "Sở Tư pháp", "Sở Tư pháp", _K.department),
    AgencySeed("STC", "Sở Tài chính", "Sở Tài chính", _K.department),
    AgencySeed("SCT", "Sở Công Thương", "Sở Công Thương", _K.department),
    AgencySeed("SNNMT", "Sở Nông nghiệp và Môi trường", "Sở NN&MT", _K.department),
    AgencySeed("SXD", "Sở Xây dựng", "Sở Xây dựng", _K.department),
    AgencySeed("SKHCN", "Sở Khoa học và Công nghệ", "Sở KH&CN", _K.department),
    AgencySeed("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "Sở VHTTDL", _K.department),
    AgencySeed("SGDDT", "Sở Giáo dục và Đào tạo", "Sở GD&ĐT", _K.department),
    AgencySeed("SYT", "Sở Y tế", "Sở Y tế", _K.department),
    AgencySeed("TTT", "Thanh tra tỉnh", "Thanh tra tỉnh", _K.department_equivalent),
    AgencySeed("SDTTG", "Sở Dân tộc và Tôn giáo", "Sở DT&TG", _K.department),
    # Other provincial bodies that receive tasks.
    AgencySeed(
        "BQLKKT",
        "Ban Quản lý Khu kinh tế Vân Phong",
        "BQL KKT Vân Phong",
        _K.department_equivalent,
    ),
    # Public service units. The Centre is a unit of the Office (merged with
    # Ninh Thuận's centre on 1 July 2025); the university is under the
    # Provincial People's Committee.
    AgencySeed(
        "TTPVHCC",
        "Trung tâm Phục vụ hành chính công tỉnh",
        "TT PVHCC tỉnh",
        _K.public_service_unit,
        parent_code=OFFICE_CODE,
    ),
    AgencySeed(
        "DHKH",
        "Trường Đại học Khánh Hòa",
        "ĐH Khánh Hòa",
        _K.public_service_unit,
    ),
    # Not agencies of the Committee, but they receive its tasks.
    AgencySeed("CAT", "Công an tỉnh", "Công an tỉnh", _K.other),
    AgencySeed("BCHQS", "Bộ Chỉ huy Quân sự tỉnh", "Bộ CHQS tỉnh", _K.other),
)


# --------------------------------------------------------------------------
# Commune-level units, from the vietnam-provinces package
# --------------------------------------------------------------------------

#: division type -> (agency kind, name prefix in the package, short prefix)
_COMMUNE_TYPES: dict[VietNamDivisionType, tuple[AgencyKind, str, str]] = {
    VietNamDivisionType.XA: (AgencyKind.commune, "Xã ", "X. "),
    VietNamDivisionType.PHUONG: (AgencyKind.ward, "Phường ", "P. "),
    VietNamDivisionType.DAC_KHU: (AgencyKind.special_zone, "Đặc khu ", "ĐK "),
}


def _commune_seed(ward: Ward) -> AgencySeed:
    try:
        kind, prefix, short_prefix = _COMMUNE_TYPES[ward.division_type]
    except KeyError:
        raise ValueError(
            f"{ward.name} ({int(ward.code)}): unexpected division type {ward.division_type!r}"
        ) from None
    name = ward.name.strip()
    if name.startswith(prefix):
        short_name = short_prefix + name[len(prefix):]
    else:  # keep whatever the package says rather than guess
        short_name = name
    return AgencySeed(
        code=f"{int(ward.code):05d}",  # official codes are 5 digits
        name=name,
        short_name=short_name,
        kind=kind,
    )


def commune_agencies() -> list[AgencySeed]:
    """Khánh Hòa's commune-level units (xã, phường, đặc khu), ordered by official code."""
    wards = sorted(Ward.iter_by_province(KHANH_HOA), key=lambda w: int(w.code))
    return [_commune_seed(w) for w in wards]


def all_agencies() -> list[AgencySeed]:
    """Provincial bodies followed by the commune-level units; codes are unique."""
    agencies = [*PROVINCIAL_AGENCIES, *commune_agencies()]
    seen: set[str] = set()
    for agency in agencies:
        if agency.code in seen:
            raise ValueError(f"duplicate agency code {agency.code!r}")
        seen.add(agency.code)
    for agency in agencies:
        if agency.parent_code is not None and agency.parent_code not in seen:
            raise ValueError(f"{agency.code}: unknown parent {agency.parent_code!r}")
    return agencies


__all__ = [
    "KHANH_HOA",
    "OFFICE_CODE",
    "AgencySeed",
    "PROVINCIAL_AGENCIES",
    "commune_agencies",
    "all_agencies",
]
