"""The Admin's screens in Vietnamese (issue 9): role names with their Vietnamese
labels (identifiers stay), Có/Không, never "None"/"__None", no user-statistics
chart (it loads from the internet), the jobs page's names, and the role matrix
page "Quyền của các vai trò"."""
import json
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AppUser, JobRun, local_now
from tests.conftest import user


def text(html: str) -> str:
    html = re.sub(r"(?s)<script.*?</script>|<style.*?</style>|<option[^>]*>.*?</option>", " ", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'")


@pytest.fixture
def admin(auth, ctx):
    auth.login("admin")
    return auth.client


def test_the_user_list_and_page_read_in_vietnamese(admin):
    page = admin.get("/users/list/").get_data(as_text=True)
    words = text(page)
    assert "Quản trị hệ thống (Admin)" in words
    assert "Thủ trưởng cơ quan, đơn vị (AgencyHead)" in words
    assert "Chủ tịch UBND xã, phường, đặc khu (CommuneChair)" in words
    assert " Có " in words
    for raw in ("None", "True", "False", "[Admin]"):
        assert raw not in words, raw
    show = text(admin.get(f"/users/show/{user('officer').id}").get_data(as_text=True))
    assert "Công chức Văn phòng được phân công theo dõi (OfficeOfficial)" in show
    assert "None" not in show and "True" not in show
    assert re.search(r"Ngày tạo \d\d/\d\d/\d{4} \d\d:\d\d", show)


def test_the_user_form_offers_role_labels_and_no_none_choice(admin):
    page = admin.get(f"/users/edit/{user('leader').id}").get_data(as_text=True)
    assert "__None</option>" not in page and ">None<" not in page
    assert ">— Chưa chọn —</option>" in page
    roles = dict(re.findall(r'<option (?:selected )?value="(\d+)">([^<]*\(\w+\))</option>', page))
    assert "Chủ tịch / Phó Chủ tịch UBND tỉnh (Chairman)" in roles.values()
    assert "Lãnh đạo Văn phòng UBND tỉnh (OfficeLeader)" in roles.values()


def test_the_user_form_still_saves_the_roles_chosen(app, admin):
    from app.services.seeding import create_user

    with app.app_context():
        create_user(username="h3_temp", password="Test@2026pw", role_name="AgencyStaff", agency_code="STC")
        temp = user("h3_temp")
        temp_id, agency = temp.id, temp.agency_id
        head = db.session.scalar(select(type(temp.roles[0])).where(type(temp.roles[0]).name == "AgencyHead"))
    try:
        answer = admin.post(f"/users/edit/{temp_id}", data={
            "first_name": "Tạm", "last_name": "Người dùng", "username": "h3_temp", "active": "y",
            "email": "h3_temp@khanhhoa.invalid", "roles": [str(head.id)], "agency": str(agency)})
        assert answer.status_code == 302
        with app.app_context():
            assert [r.name for r in db.session.get(AppUser, temp_id).roles] == ["AgencyHead"]
    finally:
        with app.app_context():
            db.session.execute(db.text("DELETE FROM ab_user_role WHERE user_id = :id"), {"id": temp_id})
            db.session.execute(db.text("DELETE FROM ab_user WHERE id = :id"), {"id": temp_id})
            db.session.commit()


def test_roles_show_labels_and_permissions_as_sentences(admin):
    words = text(admin.get("/roles/list/").get_data(as_text=True))
    assert "Thành viên Tổ công tác (WorkingGroupMember)" in words
    assert re.search(r"\d+ quyền", words)
    assert "can list on" not in words and "menu access on" not in words
    from flask_appbuilder.security.sqla.models import Role

    chairman = db.session.scalar(select(Role.id).where(Role.name == "Chairman"))
    show = text(admin.get(f"/roles/show/{chairman}").get_data(as_text=True))
    assert "Phê duyệt hoặc từ chối đề nghị gia hạn (điểm đ khoản 2 Điều 5)" in show
    assert "Xem danh sách: Nhiệm vụ" in show
    assert "can_decide" not in show and "ExtensionView" not in show
    assert "Cancel" not in show and "Hủy" in show  # FAB's confirmation dialog


def test_no_user_statistics_chart_and_no_raw_permission_lists_in_the_menu(admin):
    menu = admin.get("/users/list/").get_data(as_text=True)
    assert "Thống kê người dùng" not in menu and "userstats" not in menu
    assert admin.get("/users/userstats/").status_code == 404
    assert "Quyền cơ sở" not in menu and "/permissions/list/" not in menu
    assert 'href="/role-permissions/"' in menu and "Quyền của các vai trò" in menu


def _cells(page: str, key: str) -> dict:
    row = re.search(r'<tr data-permission="%s">(.*?)</tr>' % re.escape(key), page, re.S).group(1)
    return {role: "✓" in cell for role, cell in re.findall(r'data-role="(\w+)">(.*?)</td>', row, re.S)}


def test_the_role_matrix_page_says_what_each_role_may_do(admin, auth):
    page = admin.get("/role-permissions/").get_data(as_text=True)
    words = text(page)
    assert "Quyền của các vai trò" in words
    for label in ("Quản trị hệ thống", "Lãnh đạo Văn phòng UBND tỉnh", "Chủ tịch / Phó Chủ tịch UBND tỉnh",
                  "Thủ trưởng cơ quan, đơn vị", "Chuyên viên cơ quan, đơn vị", "Thành viên Tổ công tác"):
        assert label in words
    assert "Phê duyệt hoặc từ chối đề nghị gia hạn (điểm đ khoản 2 Điều 5)" in words
    decide = _cells(page, "can_decide-ExtensionView")
    assert {r for r, yes in decide.items() if yes} == {"Admin", "Chairman"}
    delay = _cells(page, "can_add-DelayReportView")
    assert delay["AgencyHead"] and delay["CommuneChair"] and not delay["AgencyStaff"]
    enter = _cells(page, "menu_access-Enter a document")
    assert enter["OfficeOfficial"] and not enter["Chairman"] and not enter["AgencyHead"]
    assert "can_" not in words and "None" not in words
    auth.login("officer")  # the Admin's page only
    assert auth.client.get("/role-permissions/").status_code in (302, 403)


def test_the_jobs_page_names_queues_and_jobs_in_vietnamese(admin, app):
    with app.app_context():
        db.session.add(JobRun(name="deadline_sweep", status="done", started_at=local_now(), finished_at=local_now(),
                              detail=json.dumps({"day": "2026-11-26", "overdue": 1, "mail": {"digests": 2}})))
        db.session.add(JobRun(name="deadline_sweep", status="skipped", started_at=local_now(),
                              finished_at=local_now(), detail=json.dumps({"skipped": "not a working day"})))
        db.session.commit()
    words = text(admin.get("/jobs/").get_data(as_text=True))
    assert "Rà soát thời hạn và nhắc hạn" in words
    assert "quá hạn: 1" in words and "thư tổng hợp: 2" in words
    assert "bỏ qua: không phải ngày làm việc" in words
    assert "not a working day" not in words
