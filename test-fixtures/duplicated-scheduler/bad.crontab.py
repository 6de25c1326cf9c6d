from apscheduler.schedulers.background import BackgroundScheduler

from app.db import delete_expired_sessions

scheduler = BackgroundScheduler()


@scheduler.scheduled_job("cron", hour=2, minute=30)  # expect: duplicated-scheduler
def cleanup_sessions():
    delete_expired_sessions()


scheduler.start()
