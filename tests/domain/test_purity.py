"""The core stays pure: the rules are tested without an app, a database or a queue."""
import ast
from pathlib import Path

import app.domain

FORBIDDEN = {
    "flask",
    "flask_appbuilder",
    "sqlalchemy",
    "flask_sqlalchemy",
    "rq",
    "redis",
    "fakeredis",
    "weasyprint",
    "werkzeug",
}

DOMAIN = Path(app.domain.__file__).parent


def imported_modules(source: str) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
    return modules


def offenders_in(package, forbidden, expect=()) -> set[str]:
    """'file: module' for each forbidden import in a package (which must hold `expect`)."""
    sources = list(Path(package).rglob("*.py"))
    assert set(expect) <= {p.name for p in sources}
    return {
        f"{path.name}: {module}"
        for path in sources
        for module in imported_modules(path.read_text(encoding="utf-8"))
        if module.split(".")[0] in forbidden
    }


def test_the_domain_imports_no_framework_database_or_queue():
    assert not offenders_in(DOMAIN, FORBIDDEN, expect={"calendar.py", "lifecycle.py", "appendix.py"})


def test_the_purity_check_would_catch_an_offender():
    found = imported_modules("import flask\nfrom sqlalchemy.orm import Session\nfrom . import x\n")
    assert {m.split(".")[0] for m in found} & FORBIDDEN == {"flask", "sqlalchemy"}


def test_the_purity_check_walks_the_domain_package():
    assert {"calendar.py", "entry_rules.py", "vocabulary.py"} <= {
        p.name for p in DOMAIN.glob("*.py")
    }
