import logging

from flask import Flask, jsonify
from myapp.db import db

app = Flask(__name__)
log = logging.getLogger(__name__)


@app.delete("/account/<int:user_id>")
def delete_account(user_id):
    try:  # expect: swallowed-error
        db.session.execute(db.text("DELETE FROM users WHERE id = :id"), {"id": user_id})
        db.session.commit()
    except Exception:
        raise
    return jsonify(deleted=True)


@app.post("/orders/<int:order_id>/refund")
def refund(order_id):
    try:  # expect: swallowed-error
        db.session.execute(db.text("UPDATE orders SET status = 'refunded' WHERE id = :id"), {"id": order_id})
        db.session.commit()
    except Exception as exc:
        log.error("refund failed: %s", exc)
        raise
    return jsonify(success=True)


def purge_sessions(cur):
    try:  # expect: swallowed-error
        cur.execute("DELETE FROM sessions WHERE expires_at < now()")
    except:
        raise
