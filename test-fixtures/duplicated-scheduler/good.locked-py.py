import os

import redis
from apscheduler.schedulers.background import BackgroundScheduler

from billing import send_invoices

r = redis.Redis()
scheduler = BackgroundScheduler()


def invoices_once():
    # Only the worker that takes the key for this run sends the invoices.
    if r.set("lock:invoices", "1", nx=True, ex=300):
        send_invoices()


scheduler.add_job(invoices_once, "cron", hour=9)
if os.environ.get("SCHEDULER_ENABLED") == "1":
    scheduler.add_job(send_invoices, "interval", minutes=30)
scheduler.start()
