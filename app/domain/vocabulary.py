"""The identifiers of SPEC §2, shared by the core, the database and the API."""
from __future__ import annotations

from enum import Enum


class StrEnum(str, Enum):
    def __str__(self) -> str:  # stored and serialised as the bare value
        return self.value


class AgencyKind(StrEnum):
    office = "office"
    department = "department"
    department_equivalent = "department_equivalent"
    commune = "commune"
    ward = "ward"
    special_zone = "special_zone"
    public_service_unit = "public_service_unit"
    state_enterprise = "state_enterprise"
    other = "other"


class DocType(StrEnum):
    """Document types with their Decree 30/2020/NĐ-CP abbreviation (SPEC §6)."""

    official_letter = "official_letter"  # công văn: no abbreviation
    decision = "decision"  # QĐ
    directive = "directive"  # CT
    notice = "notice"  # TB
    plan = "plan"  # KH
    report = "report"  # BC
    proposal = "proposal"  # TTr
    programme = "programme"  # CTr
    telegram = "telegram"  # CĐ
    invitation = "invitation"  # GM


class Issuer(StrEnum):
    committee = "committee"
    chairman = "chairman"
    higher_authority = "higher_authority"


class Urgency(StrEnum):
    normal = "normal"
    urgent = "urgent"
    very_urgent = "very_urgent"
    flash = "flash"


class Secrecy(StrEnum):
    none = "none"
    confidential = "confidential"
    secret = "secret"
    top_secret = "top_secret"


class Source(StrEnum):
    work_program = "work_program"
    meeting_conclusion = "meeting_conclusion"
    ad_hoc = "ad_hoc"


class TaskStatus(StrEnum):
    draft = "draft"
    assigned = "assigned"
    in_progress = "in_progress"
    returned = "returned"
    reported = "reported"
    completed = "completed"
    withdrawn = "withdrawn"


class Role(StrEnum):
    Admin = "Admin"
    OfficeLeader = "OfficeLeader"
    OfficeOfficial = "OfficeOfficial"
    Chairman = "Chairman"
    AgencyHead = "AgencyHead"
    AgencyStaff = "AgencyStaff"
    CommuneChair = "CommuneChair"
    WorkingGroupMember = "WorkingGroupMember"
    # Intake (issue 12): the document system's service account; posts edXML, sees no task.
    Connector = "Connector"


# SPEC §1: these roles see every task; every other role belongs to one agency.
PROVINCE_WIDE_ROLES = frozenset(
    {Role.Admin, Role.OfficeLeader, Role.OfficeOfficial, Role.Chairman}
)

# Intake (issue 12): roles that belong to no agency (SPEC §1): the province-wide ones and the
# document system's service account, which sees no task at all.
AGENCYLESS_ROLES = PROVINCE_WIDE_ROLES | {Role.Connector}
