"""The admin's command line (`flask --app run …`): roles sync, agencies seed,
users create, demo seed. `db upgrade` comes from Flask-Migrate."""
from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app.domain.vocabulary import Role
from app.extensions import appbuilder

roles_cli = AppGroup("roles", help="Roles and permissions.")
agencies_cli = AppGroup("agencies", help="Agencies, departments and communes.")
users_cli = AppGroup("users", help="User accounts.")
demo_cli = AppGroup("demo", help="Demonstration data (development only).")


@roles_cli.command("sync")
def roles_sync():
    """Create the roles of SPEC §1 and set their permissions to app.permissions."""
    from app.security import sync_roles

    counts = sync_roles(appbuilder())
    for role, n in counts.items():
        click.echo(f"{role}: {n} permissions")


@agencies_cli.command("seed")
def agencies_seed():
    """Insert or update the Office, departments and the 65 communes (idempotent)."""
    from app.services.seeding import seed_agencies

    added, updated = seed_agencies()
    click.echo(f"agencies: {added} added, {updated} updated")


@users_cli.command("create")
@click.option("--username", required=True)
@click.option("--password", required=True)
@click.option("--role", "role_name", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--agency", "agency_code", default=None, help="Agency code, e.g. STC or 22366.")
@click.option("--email", default=None)
@click.option("--full-name", "full_name", default=None)
def users_create(username, password, role_name, agency_code, email, full_name):
    """Create a user with one role (and the agency of an agency user)."""
    from app.services.seeding import UserError, create_user

    try:
        user = create_user(username=username, password=password, role_name=role_name,
                           agency_code=agency_code, email=email, full_name=full_name)
    except UserError as error:
        raise click.ClickException(str(error))
    click.echo(f"user {user.username} created (id {user.id})")


@demo_cli.command("seed")
@click.option("--tasks", "n_tasks", type=int, default=None,
              help="Also bulk-insert N generated tasks (for benchmarks).")
@click.option("--history/--no-history", default=True,
              help="Also a year of history dated relative to today (default), or only the short demo.")
def demo_seed(n_tasks, history):
    """Demo users (one per role, known passwords) and realistic documents and tasks."""
    if current_app.config["ENV_NAME"] not in {"development", "testing"}:
        raise click.ClickException("The demo seed (with its known passwords) runs only in development.")
    import time

    from app.services.demo_history import seed_history
    from app.services.seeding import DEMO_HINTS, bulk_tasks, seed_demo

    logins = seed_demo()
    started, cpu = time.perf_counter(), time.process_time()
    summary = seed_history() if history else {}  # a year of history, dated relative to today
    if summary.get("skipped"):
        click.echo("demo history: already there, nothing added")
    elif summary:
        click.echo(f"demo history: {summary['documents']} documents, {summary['tasks']} tasks, "
                   f"{summary['steps']} steps ({summary['refused']} refused) in "
                   f"{time.perf_counter() - started:.1f} s (CPU {time.process_time() - cpu:.1f} s)")
    for username, password, role in logins:
        click.echo(f"  {role:<20} {username} / {password}  — {DEMO_HINTS.get(username, '')}")
    if summary.get("heads"):
        click.echo(f"  agency heads and commune chairs (same password): {', '.join(summary['heads'])}")
    if n_tasks:
        click.echo(f"bulk: {bulk_tasks(n_tasks)} tasks inserted")


@click.command("serve")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
def serve(host, port):
    """The web app with its background jobs: in-process (fakeredis) when
    REDIS_URL is empty, else only the web app (run `rq worker` and `rq cron`)."""
    app = current_app._get_current_object()
    if not app.config["REDIS_URL"]:
        from app.jobs import embedded

        embedded.start(app)
        click.echo("background jobs: in-process worker and scheduler (fakeredis)")
    # Not app.run(): Flask ignores it inside a `flask` command.
    from werkzeug.serving import run_simple

    run_simple(host, port, app, threaded=True, use_reloader=False)


jobs_cli = AppGroup("jobs", help="Background jobs.")


@jobs_cli.command("sweep")
@click.option("--day", default=None, help="YYYY-MM-DD (default: today in Vietnam)")
@click.option("--now", "run_now", is_flag=True, help="Run here instead of enqueueing.")
def jobs_sweep(day, run_now):
    """The deadline sweep and its reminders (on demand)."""
    from app.jobs.queue import enqueue
    from app.jobs.tasks import deadline_sweep

    if run_now:
        click.echo(deadline_sweep(day, force=bool(day)))
    else:
        click.echo(f"enqueued: {enqueue(deadline_sweep, day)}")


def init_cli(app: Flask) -> None:
    for group in (roles_cli, agencies_cli, users_cli, demo_cli, jobs_cli, serve):
        app.cli.add_command(group)
