"""Issue 10: a web worker's memory. Starting the app (what each gunicorn worker does:
`run:app`) must not load the libraries that make files — WeasyPrint (~29 MiB),
python-docx (~9), openpyxl (~12), fontTools, pydyf — nor Flask-Migrate's Alembic, Mako and
Pygments (~9): they are imported where a file is made or a migration runs. A view or
service that imports one of them at module level fails here."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOT_AT_START = ["weasyprint", "docx", "openpyxl", "fontTools", "pydyf", "lxml", "alembic", "flask_migrate",
                "mako", "pygments"]


def _modules_after(code: str, tmp_path) -> dict:
    env = dict(os.environ, APP_ENV="development", DATABASE_URL=f"sqlite:///{tmp_path / 'imports.db'}",
               INSTANCE_DIR=str(tmp_path), REDIS_URL="")
    out = subprocess.run([sys.executable, "-c", code + "\nimport json, sys\n"
                          "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"],
                         cwd=str(ROOT), env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_starting_the_web_app_loads_no_file_making_library(tmp_path):
    loaded = _modules_after("import run", tmp_path)
    assert "app" in loaded and "flask_appbuilder" in loaded  # the app did start
    assert sorted(loaded & set(NOT_AT_START)) == []


def test_the_document_model_alone_loads_no_renderer(tmp_path):
    """Views build an OfficialDocument to show or fingerprint it; only rendering needs the renderers."""
    loaded = _modules_after("from app.render import OfficialDocument, Paragraph, Table\n"
                            "from app.render.fingerprint import fingerprint", tmp_path)
    assert sorted(loaded & {"weasyprint", "docx", "pydyf", "fontTools"}) == []


def test_a_migration_still_finds_flask_migrate(tmp_path):
    """`flask db …` and flask_migrate.upgrade() load it when they run."""
    env = dict(os.environ, APP_ENV="development", DATABASE_URL=f"sqlite:///{tmp_path / 'migrate.db'}",
               INSTANCE_DIR=str(tmp_path), REDIS_URL="")
    flask = [sys.executable, "-m", "flask", "--app", "run", "db"]
    upgraded = subprocess.run(flask + ["upgrade"], cwd=str(ROOT), env=env, capture_output=True, text=True,
                              timeout=300)
    assert upgraded.returncode == 0, upgraded.stderr[-2000:]
    current = subprocess.run(flask + ["current"], cwd=str(ROOT), env=env, capture_output=True, text=True,
                             timeout=120)
    assert current.returncode == 0 and "(head)" in current.stdout + current.stderr
