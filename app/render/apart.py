"""A document rendered in a process of its own, started for it and ended with it (issue 10:
a worker's peak ≤ 150 MiB on every page). A gunicorn worker keeps, after a request, what
it grew to during it: WeasyPrint's layout of a long report (~30 MiB to load, ~20–40 MiB a
part) and python-docx's tree of one (its import ~9 MiB, then lxml's nodes, ~40 MiB at a
million tasks) would stay in it for good. The document goes in on stdin (pickled, from this
same code), the file comes out on stdout; the child is started afresh (not forked), so a
threaded worker's locks are not copied. An error in the renderer is raised here."""
from __future__ import annotations

import logging
import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# What a good file of each kind begins with: a PDF, and a DOCX or XLSX (a zip archive).
MAGIC = {"pdf": b"%PDF", "docx": b"PK\x03\x04", "import_template": b"PK\x03\x04"}


def _render(kind: str, doc) -> bytes:
    if kind == "pdf":
        from app.render.pdf import render_pdf

        return render_pdf(doc)
    if kind == "import_template":  # plain values in (app.services.task_import.template_xlsx)
        from app.services.import_template import build

        return build(doc)
    from app.render.docx import render_docx

    return render_docx(doc)


def render_apart(kind: str, doc, timeout: float = 120) -> bytes:
    """`kind` "pdf" or "docx" of the OfficialDocument `doc`, or "import_template" of its
    plain values, made by a child process."""
    if kind not in MAGIC:
        raise ValueError(kind)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH")))))
    done = subprocess.run([sys.executable, "-m", "app.render.apart", kind], input=pickle.dumps(doc),
                          capture_output=True, cwd=str(ROOT), env=env, timeout=timeout, check=False)
    if done.returncode != 0 or not done.stdout.startswith(MAGIC[kind]):
        raise RuntimeError(f"the {kind.upper()} renderer failed: " + done.stderr.decode("utf-8", "replace")[-2000:])
    peak = re.search(rb"renderer peak (\d+) kB", done.stderr)
    logging.getLogger(__name__).info("%s of %s bytes rendered apart, the renderer's peak %s MiB", kind.upper(),
                                     len(done.stdout), int(peak.group(1)) // 1024 if peak else "?")
    return done.stdout


if __name__ == "__main__":  # render_apart's child: a pickled document in, the file out
    sys.stdout.buffer.write(_render(sys.argv[1], pickle.loads(sys.stdin.buffer.read())))
    sys.stdout.buffer.flush()
    with open("/proc/self/status") as status:  # for the parent's log (Linux)
        sys.stderr.write("".join(f"renderer peak {line.split()[1]} kB\n" for line in status
                                 if line.startswith("VmHWM:")))
