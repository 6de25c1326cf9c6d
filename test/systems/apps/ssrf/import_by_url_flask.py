import urllib.request

from flask import Flask, request

app = Flask(__name__)


@app.post("/import")
def import_url():
    url = request.json["url"]
    with urllib.request.urlopen(url, timeout=5) as upstream:
        body = upstream.read()
    return {"bytes": len(body)}
