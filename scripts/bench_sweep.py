"""The daily deadline sweep with its mails, timed at the bench size (issue 9: at
1,000,000 tasks the sweep with its mails should finish in ≤ 10 s and send at most one
reminder mail per user). Called from scripts/bench.py after its other job timings;
also on its own:

    python -m scripts.bench_sweep --database-url sqlite:///instance/bench.db

It sweeps a day no sweep has run for yet (the next working day after the latest one
swept), then dispatches the mail into a temporary outbox folder (never SMTP), and
prints the times, the number of mails, and the most mails any one user received.
Not a test: nothing here asserts.
"""
from __future__ import annotations

import argparse
import collections
import email
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _fresh_day():
    """The next working day after today and after every day already swept."""
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import Notification
    from app.services.calendar import current_calendar, today

    latest = db.session.scalar(select(func.max(Notification.day))) or today()
    return current_calendar().add_working_days(max(latest, today()), 1)


def run(app) -> dict:
    """Sweep a fresh day, dispatch its mail to a scratch outbox, print what it took."""
    from app.extensions import db
    from app.services.mail import dispatch_mail
    from app.services.sweep import deadline_sweep

    outbox = tempfile.mkdtemp(prefix="bench-outbox-")
    saved = {key: app.config.get(key) for key in ("MAIL_SERVER", "MAIL_OUTBOX")}
    app.config.update(MAIL_SERVER="", MAIL_OUTBOX=outbox)  # files, never a real server
    try:
        with app.test_request_context():
            day = _fresh_day()
            dispatch_mail(digest=True)  # the mail already waiting goes first (not today's sweep), then is discarded
            for name in os.listdir(outbox):
                os.remove(os.path.join(outbox, name))
            # One grouped mail per user per day: on this scratch database, forget that today's
            # were sent (by an earlier bench run, or just above), so the sweep's are mailed and counted.
            from app.models import MailDigestLog

            db.session.execute(MailDigestLog.__table__.delete())
            db.session.commit()
            started = time.perf_counter()
            swept = deadline_sweep(day, force=True)
            sweep_s = time.perf_counter() - started
            started = time.perf_counter()
            mailed = dispatch_mail(digest=True)  # as the sweep job does: the day's grouped mails too
            mail_s = time.perf_counter() - started
            db.session.remove()
        per_user = collections.Counter()
        for name in os.listdir(outbox):
            with open(os.path.join(outbox, name), "rb") as handle:
                message = email.message_from_binary_file(handle)
            per_user[message["To"]] += 1
        most = per_user.most_common(1)[0] if per_user else ("-", 0)
        result = {"day": day.isoformat(), "sweep_s": sweep_s, "mail_s": mail_s,
                  "reminders": swept.get("reminders", 0), "mails": sum(per_user.values()),
                  "users": len(per_user), "most_to_one_user": most[1]}
        print(f"\nsweep with its mails (day {result['day']}, outbox {outbox})")
        print(f"  deadline sweep             {1000 * sweep_s:9.1f} ms   reminders inserted {result['reminders']:,}")
        print(f"  mail dispatch              {1000 * mail_s:9.1f} ms   {result['mails']:,} mails to "
              f"{result['users']:,} users; most to one user: {most[1]:,} ({most[0]})")
        print(f"  sweep + mail               {1000 * (sweep_s + mail_s):9.1f} ms   (aim at 1,000,000 tasks: ≤ 10 s, "
              "one reminder mail per user)")
        return result
    finally:
        app.config.update(saved)
        shutil.rmtree(outbox, ignore_errors=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.bench_sweep", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None, help="default: the bench's SQLite file")
    args = parser.parse_args(argv)
    from scripts.bench import resolve_url

    from app import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": resolve_url(args.database_url), "ENV_NAME": "development"})
    run(app)
    return 0


if __name__ == "__main__":
    sys.exit(main())
