# A Flask app on SQLAlchemy: each invoice.paid records a credit row.
import os

import stripe
from flask import Flask, request
from sqlalchemy import Column, Integer, String, create_engine
from sqlalchemy.orm import declarative_base, sessionmaker

app = Flask(__name__)
engine = create_engine(os.environ["DATABASE_URL"], pool_size=10)
Session = sessionmaker(bind=engine)
Base = declarative_base()


class Credit(Base):
    __tablename__ = "credits"
    id = Column(Integer, primary_key=True)
    customer = Column(String, nullable=False)
    amount = Column(Integer, nullable=False)


@app.post("/webhooks/stripe")
def stripe_webhook():
    try:
        event = stripe.Webhook.construct_event(request.get_data(), request.headers.get("Stripe-Signature"), os.environ["STRIPE_WEBHOOK_SECRET"])
    except (ValueError, stripe.error.SignatureVerificationError):
        return "bad signature", 400
    session = Session()
    if event["type"] == "invoice.paid":
        invoice = event["data"]["object"]
        session.add(Credit(customer=invoice["customer"], amount=invoice["amount_paid"]))
        session.commit()
    session.close()
    return {"received": True}
