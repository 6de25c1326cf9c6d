# A FastAPI app on SQLAlchemy with a session dependency: each completed checkout records an order.
import os

import stripe
from fastapi import Depends, FastAPI, HTTPException, Request
from sqlalchemy import Column, Integer, String, create_engine
from sqlalchemy.orm import Session, declarative_base, sessionmaker

app = FastAPI()
engine = create_engine(os.environ["DATABASE_URL"], pool_size=10)
SessionLocal = sessionmaker(bind=engine)
Base = declarative_base()


class Order(Base):
    __tablename__ = "orders"
    id = Column(Integer, primary_key=True)
    checkout = Column(String, nullable=False)
    email = Column(String, nullable=False)


def get_db():
    db = SessionLocal()
    try:
        yield db
    finally:
        db.close()


@app.post("/webhooks/stripe")
async def stripe_webhook(request: Request, db: Session = Depends(get_db)):
    payload = await request.body()
    try:
        event = stripe.Webhook.construct_event(payload, request.headers.get("stripe-signature"), os.environ["STRIPE_WEBHOOK_SECRET"])
    except (ValueError, stripe.error.SignatureVerificationError):
        raise HTTPException(status_code=400, detail="bad signature")
    if event["type"] == "checkout.session.completed":
        checkout = event["data"]["object"]
        db.add(Order(checkout=checkout["id"], email=checkout["customer_details"]["email"]))
        db.commit()
    return {"received": True}
