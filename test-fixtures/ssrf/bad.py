import httpx
import requests
from flask import Flask, request

app = Flask(__name__)


@app.post("/import")
def import_url():
    url = request.json["url"]
    resp = requests.get(url, timeout=10)  # expect: ssrf
    return {"bytes": len(resp.content)}


@app.get("/status")
def status():
    host = request.args.get("host")
    resp = requests.get(f"http://{host}:8080/health", timeout=5)  # expect: ssrf
    return resp.text


@app.post("/webhooks/test")
def test_webhook():
    body = request.get_json()
    return httpx.post(body["target"], json={"ping": True}).text  # expect: ssrf
