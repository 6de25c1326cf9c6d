import hashlib
import hmac
import json
import os
from flask import Flask, request

from deploy import deploy_branch


def verify_github_event(raw_body, signature, secret):
    """GitHub signs each delivery with HMAC-SHA256 of the raw body (X-Hub-Signature-256: sha256=<hex>).

    Compares in constant time and returns the parsed event; raises ValueError when the signature does not match.
    """
    expected = "sha256=" + hmac.new(secret.encode(), raw_body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(signature or "", expected):
        raise ValueError("invalid signature")
    return json.loads(raw_body)


app = Flask(__name__)


# GitHub push hook that trusts the JSON body.
@app.post("/webhooks/github")
def github_webhook():  # expect: webhook-unverified
    if request.headers.get("X-GitHub-Event") == "push":
        try:
            payload = verify_github_event(request.get_data(), request.headers.get("X-Hub-Signature-256"), os.environ["GITHUB_WEBHOOK_SECRET"])
        except ValueError as e:
            return f"Webhook Error: {e}", 400
        deploy_branch(payload["ref"], payload["after"])
    return "", 202
