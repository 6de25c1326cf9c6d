import os
from flask import Flask, request
from flask_cors import CORS

# The origins allowed to call this API with credentials, comma-separated (https://app.example.com,...).
CORS_ALLOWED_ORIGINS = [o.strip() for o in os.environ.get("CORS_ALLOWED_ORIGINS", "").split(",") if o.strip()]

app = Flask(__name__)
CORS(app, origins=CORS_ALLOWED_ORIGINS, supports_credentials=True)  # expect: cors-misconfig


@app.after_request
def add_cors(response):
    if request.headers.get("Origin") in CORS_ALLOWED_ORIGINS:
        response.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin")  # expect: cors-misconfig
    return response
