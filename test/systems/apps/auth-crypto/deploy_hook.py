# A deploy hook that checks an HMAC-SHA256 signature of the raw body, compared with !=.
import hashlib
import hmac
import os

from flask import Flask, request

app = Flask(__name__)


@app.post("/hooks/deploy")
def deploy():
    expected = hmac.new(os.environ["DEPLOY_HOOK_SECRET"].encode(), request.get_data(), hashlib.sha256).hexdigest()
    if request.headers.get("X-Deploy-Signature") != expected:
        return {"error": "bad signature"}, 401
    return "", 204
