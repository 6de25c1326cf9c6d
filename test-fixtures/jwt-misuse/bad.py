import base64
import json
import os

import jwt
from fastapi import Depends, FastAPI, Header, HTTPException

app = FastAPI()
SIGNING_KEY = os.environ["API_SIGNING_KEY"]


def issue(user_id):
    return jwt.encode({"sub": user_id, "scope": "user"}, SIGNING_KEY, algorithm="HS256")  # expect: jwt-misuse


def get_current_user(authorization: str = Header(...)):
    token = authorization.removeprefix("Bearer ")
    claims = jwt.decode(token, options={"verify_signature": False})  # expect: jwt-misuse
    return claims["sub"]


def current_user_id(authorization: str = Header(...)):
    _, payload, _ = authorization.split(".")
    padded = payload + "=" * (-len(payload) % 4)
    return json.loads(base64.urlsafe_b64decode(padded))["sub"]  # expect: jwt-misuse


@app.get("/me")
def me(user=Depends(get_current_user)):
    return {"user": user}


@app.post("/introspect")
def introspect(body: dict):
    return jwt.decode(body["token"], SIGNING_KEY, algorithms=["HS256", "none"])  # expect: jwt-misuse


def refresh_claims(user_id):
    claims = {
        "sub": user_id,
        "kind": "refresh",
    }
    return jwt.encode(claims, SIGNING_KEY, algorithm="HS256")  # expect: jwt-misuse
