"""The order service the Flask webhook fixture (test-fixtures/webhook-unverified/bad.flask.py) calls;
each call appends one JSON line to the file named by SIDE_EFFECTS_LOG."""
import json
import os


def fulfill_order(session_id, email):
    with open(os.environ["SIDE_EFFECTS_LOG"], "a") as log:
        log.write(json.dumps({"action": "fulfill_order", "id": session_id, "email": email}) + "\n")
