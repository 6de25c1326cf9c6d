import functools
import os

import redis
from apscheduler.schedulers.background import BackgroundScheduler
from flask import Flask

from billing import send_invoices

cache = redis.Redis.from_url(os.environ["REDIS_URL"])


def job_lock(key, hold_seconds):
    """Runs a scheduled job on one copy of the app per tick: every copy (replica, worker) schedules it,
    the one that takes the Redis lock (SET NX PX) runs it and the others skip the tick. The lock
    expires by itself, so a copy that crashed cannot keep it."""

    def wrap(job):
        @functools.wraps(job)
        def run(*args, **kwargs):
            if not cache.set(f"job-lock:{key}", "1", nx=True, px=int(hold_seconds * 1000)):
                return None
            return job(*args, **kwargs)

        return run

    return wrap


def create_app():
    app = Flask(__name__)
    scheduler = BackgroundScheduler()
    scheduler.add_job(job_lock("send_invoices", 30)(send_invoices), "cron", hour=9)  # expect: duplicated-scheduler
    scheduler.start()
    return app
