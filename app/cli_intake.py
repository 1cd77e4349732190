"""`flask --app run intake edxml PATH…`: the Admin imports edXML files from a folder (a
mailbox or a shared folder the document system writes to). One report line per file; the
good ones are kept, a bad one is refused with its reason and never stops the batch."""
from __future__ import annotations

import os
from pathlib import Path

import click
from flask.cli import AppGroup

intake_cli = AppGroup("intake", help="Incoming documents from the document system (edXML).")


def _files(paths) -> list[Path]:
    found = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in (".edxml", ".xml"))
        else:
            found.append(path)
    return found


@intake_cli.command("edxml")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
def intake_edxml(paths):
    """Import edXML messages (files, or folders of .edxml/.xml files)."""
    from flask_babel import force_locale

    from app.extensions import db
    from app.services import intake
    from app.services.errors import ServiceError

    counts = {"stored": 0, "later": 0, "duplicate": 0, "refused": 0}
    with force_locale("vi"):
        for path in _files(paths):
            try:
                receipt = intake.receive(path.read_bytes(), viewer=None, channel="folder")
            except intake.Duplicate as error:
                db.session.rollback()
                counts["duplicate"] += 1
                click.echo(f"{path}: 409 {error.message} (intake {error.intake_id}, document {error.document_id})")
            except ServiceError as error:
                db.session.rollback()
                counts["refused"] += 1
                details = "; ".join(str(m) for ms in error.errors.values() for m in ms) or str(error.message)
                click.echo(f"{path}: {error.status} {details}")
            except OSError as error:
                counts["refused"] += 1
                click.echo(f"{path}: {os.strerror(error.errno or 0)}")
            else:
                if receipt.later is not None:
                    counts["later"] += 1
                    click.echo(f"{path}: later message ({receipt.later.kind}) on incoming {receipt.incoming.id}")
                else:
                    counts["stored"] += 1
                    click.echo(f"{path}: 201 incoming {receipt.incoming.id} {receipt.incoming.number}")
    click.echo("stored {stored}, later messages {later}, duplicates {duplicate}, refused {refused}".format(**counts))
