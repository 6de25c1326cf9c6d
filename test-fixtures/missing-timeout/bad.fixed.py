import urllib.request

import httpx
import requests
from flask import Flask, jsonify, request

app = Flask(__name__)
session = requests.Session()


@app.post("/orders/<int:order_id>/ship")
def ship(order_id):
    label = requests.post("https://labels.example.com/v1/labels", json={"order": order_id}, timeout=10)  # expect: missing-timeout
    tracking = session.get(  # expect: missing-timeout
        "https://tracking.example.com/v1/status",
        params={"order": order_id}, timeout=10,
    )
    return jsonify(label=label.json(), tracking=tracking.json())


def fetch_feed(url):
    with urllib.request.urlopen(url, timeout=10) as resp:  # expect: missing-timeout
        return resp.read()


def stream_export(url):
    # timeout=None switches httpx's default bound off.
    return httpx.get(url, timeout=10).content  # expect: missing-timeout
