"""Jobs and views call the renderer; it must not pull in the web app, the database or the queue."""
import ast
from pathlib import Path

import app.render.model

FORBIDDEN = {"flask", "flask_appbuilder", "sqlalchemy", "flask_sqlalchemy", "rq", "redis"}
RENDER = Path(app.render.model.__file__).parent


def imported_modules(source: str) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
    return modules


def test_the_renderer_imports_no_framework_database_or_queue():
    sources = list(RENDER.rglob("*.py"))
    assert {"model.py", "pdf.py", "docx.py"} <= {p.name for p in sources}
    offenders = {
        f"{path.name}: {module}"
        for path in sources
        for module in imported_modules(path.read_text(encoding="utf-8"))
        if module.split(".")[0] in FORBIDDEN
    }
    assert not offenders


def test_the_model_imports_no_rendering_library_either():
    modules = imported_modules((RENDER / "model.py").read_text(encoding="utf-8"))
    assert {m.split(".")[0] for m in modules} <= {"__future__", "datetime", "dataclasses"}
