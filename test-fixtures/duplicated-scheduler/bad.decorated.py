import redis
from apscheduler.schedulers.background import BackgroundScheduler
from flask import Flask

from feeds import refresh_all_feeds

redis_client = redis.from_url("redis://localhost:6379/0")
scheduler = BackgroundScheduler()


@scheduler.scheduled_job("interval", minutes=10)  # expect: duplicated-scheduler
def refresh_feeds():
    refresh_all_feeds(redis_client)


def create_app():
    app = Flask(__name__)
    scheduler.start()
    return app
