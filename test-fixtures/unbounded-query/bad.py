from django.http import JsonResponse
from flask import Flask, jsonify
from sqlalchemy import text

from .db import SessionLocal, engine
from .models import Customer, Invoice

app = Flask(__name__)


def customer_list(request):
    rows = Customer.objects.all().order_by("name").values("id", "name")  # expect: unbounded-query
    return JsonResponse(list(rows), safe=False)


@app.get("/invoices")
def invoices():
    session = SessionLocal()
    items = session.query(Invoice).all()  # expect: unbounded-query
    return jsonify([i.to_dict() for i in items])


@app.get("/audit")
def audit():
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, action, at FROM audit_log ORDER BY at DESC")).fetchall()  # expect: unbounded-query
    return jsonify([dict(r._mapping) for r in rows])
