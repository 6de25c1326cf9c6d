from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from flask import Flask, request
from flask_cors import CORS

from .config import settings

flask_app = Flask(__name__)
CORS(flask_app, origins=["https://app.example.com"], supports_credentials=True)
CORS(flask_app, resources={r"/public/*": {"origins": "*"}})

api = FastAPI()
api.add_middleware(CORSMiddleware, allow_origins=settings.allowed_origins, allow_credentials=True)
api.add_middleware(CORSMiddleware, allow_origins=["*"])

ALLOWED = {"https://app.example.com"}


@flask_app.after_request
def add_cors(response):
    origin = request.headers.get("Origin")
    if origin in ALLOWED:
        response.headers["Access-Control-Allow-Origin"] = origin
    return response
