import os

from flask import Flask, request

app = Flask(__name__)


@app.post("/avatar")
def avatar():
    f = request.files["avatar"]
    f.save(os.path.join("uploads", "avatar.png"))  # expect: unbounded-upload
    return "", 204


@app.post("/gallery")
def gallery():
    for photo in request.files.getlist("photos"):
        photo.save(os.path.join("uploads", photo.filename))  # expect: unbounded-upload
    return "", 204
