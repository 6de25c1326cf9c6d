from flask import Flask, jsonify, make_response, redirect, request

app = Flask(__name__)


@app.post("/login")
def login():
    user = check_credentials(request.form["email"], request.form["password"])
    session_token = create_session(user.id)
    response = make_response(redirect("/"))
    response.set_cookie("session_token", session_token)  # expect: insecure-token-storage
    response.set_cookie("remember_me", remember_token(user), max_age=30 * 86400, httponly=False)  # expect: insecure-token-storage
    response.set_cookie("locale", request.form.get("locale", "en"))
    return response


@app.post("/api/login")
def api_login():
    user = check_credentials(request.json["email"], request.json["password"])
    access_token = create_access_token(user.id)
    return jsonify(access_token=access_token)  # expect: insecure-token-storage
# vibeguard-disable-file missing-rate-limit -- this fixture is about insecure-token-storage; missing-rate-limit has fixtures of its own
