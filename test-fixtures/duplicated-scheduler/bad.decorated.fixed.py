import functools
import redis
from apscheduler.schedulers.background import BackgroundScheduler
from flask import Flask

from feeds import refresh_all_feeds

redis_client = redis.from_url("redis://localhost:6379/0")


def job_lock(key, hold_seconds):
    """Runs a scheduled job on one copy of the app per tick: every copy (replica, worker) schedules it,
    the one that takes the Redis lock (SET NX PX) runs it and the others skip the tick. The lock
    expires by itself, so a copy that crashed cannot keep it."""

    def wrap(job):
        @functools.wraps(job)
        def run(*args, **kwargs):
            if not redis_client.set(f"job-lock:{key}", "1", nx=True, px=int(hold_seconds * 1000)):
                return None
            return job(*args, **kwargs)

        return run

    return wrap


scheduler = BackgroundScheduler()


@scheduler.scheduled_job("interval", minutes=10)  # expect: duplicated-scheduler
@job_lock("refresh_feeds", 30)
def refresh_feeds():
    refresh_all_feeds(redis_client)


def create_app():
    app = Flask(__name__)
    scheduler.start()
    return app
