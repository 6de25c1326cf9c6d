from celery import Celery
from celery.schedules import crontab

app = Celery("shop", broker="redis://redis:6379/0")

app.conf.beat_schedule = {  # expect: duplicated-scheduler
    "charge-subscriptions": {"task": "shop.billing.charge_subscriptions", "schedule": crontab(hour=3, minute=0)},
}
