import httpx
import requests
from flask import Flask, request, abort
from urllib.parse import urlparse

# The hosts this server may fetch on a caller's behalf, e.g. "images.example.com".
ALLOWED_FETCH_HOSTS = frozenset()

app = Flask(__name__)


@app.post("/import")
def import_url():
    url = request.json["url"]
    if urlparse(url).hostname not in ALLOWED_FETCH_HOSTS:
        abort(400, "URL host is not allowed")
    resp = requests.get(url, timeout=10)  # expect: ssrf
    return {"bytes": len(resp.content)}


@app.get("/status")
def status():
    host = request.args.get("host")
    if urlparse(f"http://{host}:8080/health").hostname not in ALLOWED_FETCH_HOSTS:
        abort(400, "URL host is not allowed")
    resp = requests.get(f"http://{host}:8080/health", timeout=5)  # expect: ssrf
    return resp.text


@app.post("/webhooks/test")
def test_webhook():
    body = request.get_json()
    if urlparse(body["target"]).hostname not in ALLOWED_FETCH_HOSTS:
        abort(400, "URL host is not allowed")
    return httpx.post(body["target"], json={"ping": True}).text  # expect: ssrf
