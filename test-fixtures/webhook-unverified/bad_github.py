from flask import Flask, request

from deploy import deploy_branch

app = Flask(__name__)


# GitHub push hook that trusts the JSON body.
@app.post("/webhooks/github")
def github_webhook():  # expect: webhook-unverified
    if request.headers.get("X-GitHub-Event") == "push":
        payload = request.get_json()
        deploy_branch(payload["ref"], payload["after"])
    return "", 202
