"""In a real browser: a task whose content is one long unbroken word (a pasted link) wraps
on the task list and on its page; the page never grows wider than the screen
(issue 8, finding 10; app/static/css/app.css)."""
from __future__ import annotations

from tests.browser.conftest import sign_in


def test_a_long_word_wraps_on_the_list_and_the_task_page(page, debuggable, make_document):
    word = "https://vanban.khanhhoa.gov.vn/" + "tailieu" * 80
    _doc, (task_id,) = make_document([{"lead": "STC", "content": word}])
    sign_in(page, "officer")
    for url in ("/tasks/list/", f"/tasks/show/{task_id}"):
        page.goto(url)
        assert page.locator("text=https://vanban.khanhhoa.gov.vn/").count() >= 1
        width = page.evaluate("document.documentElement.scrollWidth")
        viewport = page.evaluate("window.innerWidth")
        assert width <= viewport, (url, width, viewport)
