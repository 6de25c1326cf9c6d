# Heroku's clock process runs this module alone; the four web workers never import it.
from apscheduler.schedulers.blocking import BlockingScheduler

from billing import send_invoices

scheduler = BlockingScheduler()
scheduler.add_job(send_invoices, "cron", hour=9)
scheduler.start()
