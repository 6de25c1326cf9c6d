from fastapi import FastAPI, Response
from flask import Flask, jsonify, make_response, request

app = Flask(__name__)
api = FastAPI()


@app.post("/login")
def login():
    user = check_credentials(request.form["email"], request.form["password"])
    response = make_response(jsonify(user_id=user.id))
    response.set_cookie("session_token", create_session(user.id), httponly=True, secure=True, samesite="Lax")
    response.set_cookie("theme", request.form.get("theme", "dark"))
    response.set_cookie("csrftoken", new_csrf_token(), samesite="Strict")
    return response


@app.post("/oauth/token")
def oauth_token():
    # The OAuth token endpoint answers machine clients in JSON, per the spec.
    return jsonify(access_token=issue_client_token(request.form), token_type="bearer")


@api.post("/session")
def open_session(form: LoginForm, response: Response):
    # Starlette cookies are SameSite=Lax by default.
    response.set_cookie(key="session_token", value=create_session(form.user_id), httponly=True, secure=True)
    return {"ok": True}


@app.post("/logout")
def logout():
    response = make_response(jsonify(ok=True))
    response.set_cookie("session_token", "", expires=0)
    return response
# vibeguard-disable-file missing-rate-limit -- this fixture is about insecure-token-storage; missing-rate-limit has fixtures of its own
