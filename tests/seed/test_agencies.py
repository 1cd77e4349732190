"""Seed list of Khánh Hòa's agencies (SPEC §7). No app, no database."""
from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter

import pytest
import vietnam_provinces

from app.domain.vocabulary import AgencyKind
from app.seed.agencies import (
    PROVINCIAL_AGENCIES,
    AgencySeed,
    all_agencies,
    commune_agencies,
)


def _by_code() -> dict[str, AgencySeed]:
    return {a.code: a for a in all_agencies()}


def test_commune_level_counts_by_kind():
    communes = commune_agencies()
    counts = Counter(a.kind for a in communes)
    assert counts == {
        AgencyKind.commune: 48,
        AgencyKind.ward: 16,
        AgencyKind.special_zone: 1,
    }
    assert len(communes) == 65


def test_counts_in_all_agencies_match():
    counts = Counter(a.kind for a in all_agencies())
    assert counts[AgencyKind.commune] == 48
    assert counts[AgencyKind.ward] == 16
    assert counts[AgencyKind.special_zone] == 1
    assert len(all_agencies()) == len(PROVINCIAL_AGENCIES) + 65


@pytest.mark.parametrize(
    ("code", "name", "short_name", "kind"),
    [
        ("22366", "Phường Nha Trang", "P. Nha Trang", AgencyKind.ward),
        ("22453", "Xã Cam Lâm", "X. Cam Lâm", AgencyKind.commune),
        ("22736", "Đặc khu Trường Sa", "ĐK Trường Sa", AgencyKind.special_zone),
        ("22759", "Phường Phan Rang", "P. Phan Rang", AgencyKind.ward),
    ],
)
def test_known_units(code, name, short_name, kind):
    agency = _by_code()[code]
    assert (agency.name, agency.short_name, agency.kind) == (name, short_name, kind)
    assert agency.parent_code is None


def test_communes_agree_with_package_data_file():
    """Read the package's JSON directly, independently of its Python API."""
    data = json.loads(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH.read_text("utf-8"))
    (province,) = [p for p in data if p["code"] == 56]
    assert province["name"] == "Khánh Hòa"
    from_file = {f"{w['code']:05d}": w["name"] for w in province["wards"]}
    assert {a.code: a.name for a in commune_agencies()} == from_file


def test_codes_unique():
    codes = [a.code for a in all_agencies()]
    assert len(codes) == len(set(codes))


def test_every_code_is_ascii_upper_or_digits():
    for agency in all_agencies():
        assert agency.code.isascii(), agency.code
        assert re.fullmatch(r"[A-Z]+|\d{5}", agency.code), agency.code


def test_commune_codes_are_official_five_digit_codes():
    assert all(re.fullmatch(r"\d{5}", a.code) for a in commune_agencies())
    assert all(re.fullmatch(r"[A-Z]+", a.code) for a in PROVINCIAL_AGENCIES)


def test_office_present():
    office = _by_code()["VPUB"]
    assert office.kind is AgencyKind.office
    assert office.name == "Văn phòng UBND tỉnh"
    assert [a.code for a in all_agencies() if a.kind is AgencyKind.office] == ["VPUB"]


def test_departments_of_decree_150():
    by_code = _by_code()
    expected = {
        "SNV": "Sở Nội vụ",
        "STP": "Sở Tư pháp",
        "STC": "Sở Tài chính",
        "SCT": "Sở Công Thương",
        "SNNMT": "Sở Nông nghiệp và Môi trường",
        "SXD": "Sở Xây dựng",
        "SKHCN": "Sở Khoa học và Công nghệ",
        "SVHTTDL": "Sở Văn hóa, Thể thao và Du lịch",
        "SGDDT": "Sở Giáo dục và Đào tạo",
        "SYT": "Sở Y tế",
        "SDTTG": "Sở Dân tộc và Tôn giáo",
    }
    for code, name in expected.items():
        assert by_code[code].name == name
        assert by_code[code].kind is AgencyKind.department
    assert by_code["TTT"].kind is AgencyKind.department_equivalent
    assert by_code["BQLKKT"].kind is AgencyKind.department_equivalent
    assert by_code["CAT"].kind is AgencyKind.other
    assert by_code["BCHQS"].kind is AgencyKind.other
    psu = [a for a in PROVINCIAL_AGENCIES if a.kind is AgencyKind.public_service_unit]
    assert 2 <= len(psu) <= 4


def test_parents_exist_and_names_are_clean():
    by_code = _by_code()
    for agency in by_code.values():
        if agency.parent_code is not None:
            assert agency.parent_code in by_code
        for text in (agency.name, agency.short_name):
            assert text and text == text.strip()
            assert unicodedata.is_normalized("NFC", text)


def test_seed_is_immutable_and_fresh():
    agency = all_agencies()[0]
    with pytest.raises(AttributeError):
        agency.code = "X"  # type: ignore[misc]
    assert all_agencies() == all_agencies()
    assert all_agencies() is not all_agencies()
