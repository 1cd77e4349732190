"""Error pages as a user reads them: Vietnamese, inside the app's layout (navbar),
saying what to do next; API paths keep JSON."""
from __future__ import annotations

import pytest
from flask import abort


def _text(answer) -> str:
    return answer.get_data(as_text=True)


def test_an_agency_user_opening_another_agencys_task_reads_not_found_with_a_way_back(
        client, auth, make_document):
    _, (task_id,) = make_document([{"lead": "SNV", "content": "Việc riêng của Sở Nội vụ"}])
    auth.login("stc_staff")
    answer = client.get(f"/tasks/show/{task_id}")
    page = _text(answer)
    assert answer.status_code == 404
    assert "Không tìm thấy nhiệm vụ" in page
    assert 'href="/tasks/list/"' in page and "Quay lại danh sách nhiệm vụ" in page
    assert "Việc riêng của Sở Nội vụ" not in page
    assert "navbar" in page  # inside the app's layout
    assert "Not Found" not in page and "requested URL" not in page


def test_an_unknown_page_is_a_vietnamese_404_inside_the_layout(client, auth):
    auth.login("officer")
    answer = client.get("/khong-co-trang-nay")
    page = _text(answer)
    assert answer.status_code == 404
    assert "Trang anh/chị yêu cầu không tồn tại" in page and "Về trang chủ" in page
    assert "navbar" in page and "Not Found" not in page


def test_api_paths_keep_json(client):
    answer = client.get("/api/v1/khong-co/")
    assert answer.status_code == 404
    assert answer.is_json


@pytest.mark.parametrize("code, words", [
    (403, "Vai trò của anh/chị không được mở trang này"),
    (429, "Có quá nhiều yêu cầu trong thời gian ngắn"),
])
def test_403_and_429_are_vietnamese(app, client, auth, monkeypatch, code, words):
    auth.login("officer")
    monkeypatch.setitem(app.view_functions, "HomeView.index", lambda: abort(code))
    answer = client.get("/")
    page = _text(answer)
    assert answer.status_code == code
    assert words in page and "navbar" in page
    assert "Forbidden" not in page and "Too Many Requests" not in page


def test_a_crash_is_a_vietnamese_500_that_says_nothing_was_saved(app, client, auth, monkeypatch):
    auth.login("officer")

    def crash():
        raise RuntimeError("boom")

    monkeypatch.setitem(app.view_functions, "HomeView.index", crash)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    answer = client.get("/")
    page = _text(answer)
    assert answer.status_code == 500
    assert "chưa có gì được lưu" in page and "navbar" in page
    assert "Internal Server Error" not in page and "boom" not in page


def test_an_oversized_upload_gets_a_vietnamese_413_telling_to_go_back(app, client, auth, monkeypatch):
    auth.login("officer")
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024 * 1024)
    answer = client.post("/documents/add", data={"number": "1/UBND", "attachments": (
        __import__("io").BytesIO(b"x" * (2 * 1024 * 1024)), "lon.pdf")},
        content_type="multipart/form-data")
    page = _text(answer)
    assert answer.status_code == 413
    assert "Các tệp gửi cùng lúc vượt quá 1 MB" in page and "Quay lại" in page
    assert "Request Entity Too Large" not in page


def test_every_page_loads_the_offline_file_size_check_with_the_limit(app, client, auth):
    auth.login("officer")
    page = _text(client.get("/documents/add"))
    assert 'src="/static/js/ui.js"' in page
    assert f'data-max-attachment-bytes="{app.config["MAX_ATTACHMENT_BYTES"]}"' in page
    assert "mỗi tệp tối đa %(limit)s MB" in page
    script = client.get("/static/js/ui.js")
    assert script.status_code == 200 and b"MAX_ATTACHMENT_BYTES" in script.data


def test_an_error_page_never_writes_the_session(app):
    """The browser's own /favicon.ico request runs beside the login page; if its 404 set a
    session cookie (FAB writes the default locale while rendering), it would replace the
    login page's cookie and its CSRF token: "CSRF token missing" on sign-in."""
    fresh = app.test_client()
    for headers in ({"Sec-Fetch-Dest": "image", "Accept": "image/*,*/*"}, {"Accept": "text/html"}):
        response = fresh.get("/favicon.ico", headers=headers)
        assert response.status_code == 404
        assert "Set-Cookie" not in response.headers, headers
