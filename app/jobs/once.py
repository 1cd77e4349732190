"""Scheduled jobs run once per slot, however many `rq cron` schedulers run.

`rq cron` (RQ 2.12) gives every enqueued job a random id and has no lock of its
own: two schedulers started by mistake each enqueue the sweep. The job claims
its slot (name + UTC day, or the interval slot) in Redis with SET NX, keyed to
its own job id so that RQ's retry of the same job still runs; a second copy
finds the slot taken and is skipped."""
from __future__ import annotations

import datetime as dt

CLAIM_TTL = 3 * 24 * 3600


def slot_key(name: str, slot: str) -> str:
    return f"theodoi:cron:{name}:{slot}"


def claim(name: str, slot: str) -> bool:
    """True when this job may run the slot: it claimed it, or it already holds it (a retry)."""
    from rq import get_current_job

    current = get_current_job()
    if current is None:  # called directly (tests, the sweep's catch-up): no duplicate possible
        return True
    connection = current.connection
    key = slot_key(name, slot)
    if connection.set(key, current.id, nx=True, ex=CLAIM_TTL):
        return True
    holder = connection.get(key)
    return (holder.decode() if isinstance(holder, bytes) else holder) == current.id


def day_slot(now: dt.datetime | None = None) -> str:
    return (now or dt.datetime.now(dt.timezone.utc)).date().isoformat()


def interval_slot(seconds: int, now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.timezone.utc)
    return str(int(now.timestamp()) // seconds)
