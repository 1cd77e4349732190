"""Jobs and views call the renderer; it must not pull in the web app, the database or the queue
(it may use WeasyPrint: rendering is its job)."""
import app.render.model
from tests.domain.test_purity import FORBIDDEN, offenders_in

RENDER = app.render.model.__file__.rsplit("/", 1)[0]


def test_the_renderer_imports_no_framework_database_or_queue():
    assert not offenders_in(RENDER, FORBIDDEN - {"weasyprint"}, expect={"model.py", "pdf.py", "docx.py"})
