"""A GitHub push hook served by Flask that trusts the JSON body; each deploy appends a line to
the file named by SIDE_EFFECTS_LOG."""
import json
import os

from flask import Flask, request

app = Flask(__name__)


def deploy_branch(ref, sha):
    with open(os.environ["SIDE_EFFECTS_LOG"], "a") as log:
        log.write(json.dumps({"action": "deploy_branch", "ref": ref, "sha": sha}) + "\n")


@app.post("/webhooks/github")
def github_webhook():
    if request.headers.get("X-GitHub-Event") == "push":
        payload = request.get_json()
        deploy_branch(payload["ref"], payload["after"])
    return "", 202
