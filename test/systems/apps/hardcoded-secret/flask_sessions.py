"""A Flask app whose cookie sessions are signed with a key written into the code."""
from flask import Flask, jsonify, request, session

app = Flask(__name__)
app.config["SECRET_KEY"] = "8f42a73054b1749f8f58848be5e6502c"


@app.post("/login")
def login():
    session["user"] = request.json["email"]
    return jsonify(ok=True)


@app.get("/me")
def me():
    if "user" not in session:
        return jsonify(error="Not authenticated"), 401
    return jsonify(user=session["user"])
