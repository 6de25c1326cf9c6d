from flask import Flask, jsonify, request

from .models import User, db

app = Flask(__name__)


@app.post("/accounts")
def signup():
    if not request.json.get("email") or not request.json.get("password"):
        return jsonify(error="email and password required"), 400
    user = User(email=request.json["email"], password=request.json["password"])  # expect: missing-input-validation
    db.session.add(user)
    db.session.commit()
    return jsonify(id=user.id), 201


@app.post("/notes")
def create_note():
    data = request.get_json()
    note = Note(title=data["title"])  # expect: missing-input-validation
    db.session.add(note)
    db.session.commit()
    return jsonify(id=note.id, title=data["title"])


@app.post("/events")
def create_event():
    events.insert_one(request.json)  # expect: missing-input-validation
    return "", 201


@app.patch("/me")
def update_me():
    user = current_user()
    for key, value in request.json.items():  # expect: missing-input-validation
        setattr(user, key, value)
    db.session.commit()
    return "", 204
# vibeguard-disable-file plaintext-password -- this fixture is about missing-input-validation; the password the picked fields keep unhashed is plaintext-password's, with fixtures of its own
