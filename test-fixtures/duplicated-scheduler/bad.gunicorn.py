import os

import redis
from apscheduler.schedulers.background import BackgroundScheduler
from flask import Flask

from billing import send_invoices

cache = redis.Redis.from_url(os.environ["REDIS_URL"])


def create_app():
    app = Flask(__name__)
    scheduler = BackgroundScheduler()
    scheduler.add_job(send_invoices, "cron", hour=9)  # expect: duplicated-scheduler
    scheduler.start()
    return app
