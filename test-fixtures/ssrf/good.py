import ipaddress
import socket
from urllib.parse import urlparse

import requests
from django.conf import settings
from flask import Flask, abort, current_app, request

app = Flask(__name__)
ALLOWED_HOSTS = {"images.example.com"}


@app.get("/weather")
def weather():
    city = request.args["city"]
    return requests.get("https://api.weather.example/v1/now", params={"city": city}, timeout=10).text


@app.get("/users/<name>")
def user(name):
    return requests.get(f"https://api.github.com/users/{name}", timeout=10).json()


@app.post("/import")
def import_url():
    url = request.json["url"]
    if urlparse(url).hostname not in ALLOWED_HOSTS:
        abort(400)
    return requests.get(url, timeout=10).text


@app.post("/probe")
def probe():
    url = request.json["url"]
    addr = ipaddress.ip_address(socket.gethostbyname(urlparse(url).hostname))
    if addr.is_private:
        abort(400)
    return requests.get(url, timeout=10).text


@app.get("/billing")
def billing():
    return requests.get(f"{settings.BILLING_URL}/invoices", params={"user": request.args["user"]}, timeout=10).json()


@app.post("/oauth/<provider>")
def oauth_token(provider):
    # The provider's endpoints come from configuration; the request only picks which entry.
    provider_data = current_app.config["OAUTH_PROVIDERS"].get(provider)
    if provider_data is None:
        abort(404)
    return requests.post(provider_data["token_url"], data={"code": request.json["code"]}, timeout=10).json()
