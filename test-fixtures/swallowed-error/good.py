import json
import os

from myapp.db import db


def optional_speedups():
    try:
        import ujson as fast_json
    except ImportError:
        fast_json = json
    return fast_json


def parse(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        pass
    return None


def remove_upload(path):
    try:
        os.remove(path)
    except Exception:
        pass


def delete_user(user_id):
    try:
        db.session.execute(db.text("DELETE FROM users WHERE id = :id"), {"id": user_id})
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def best_effort_audit(user_id):
    try:
        db.session.execute(db.text("INSERT INTO audit (user_id) VALUES (:id)"), {"id": user_id})
    except Exception:
        # The audit trail is advisory: a failed insert must not block the request.
        pass


def delete_account(user_id):
    try:
        db.session.execute(db.text("DELETE FROM users WHERE id = :id"), {"id": user_id})
        db.session.commit()
    except Exception as exc:
        db.session.rollback()
        return {"deleted": False, "error": str(exc)}, 500
    return {"deleted": True}
