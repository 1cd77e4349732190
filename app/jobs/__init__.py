"""Background jobs on RQ: the deadline sweep and reminders, mail, delay-report
copies and urging letters.

Production: `rq worker` processes and `rq cron app/jobs/cron.py` against
REDIS_URL. With no REDIS_URL (make run, tests) the same jobs run in-process on
fakeredis, with a worker thread and the cron scheduler (app/jobs/embedded.py).
The database is the source of truth: when Redis is down the web app keeps
working and the next sweep catches up.
"""
