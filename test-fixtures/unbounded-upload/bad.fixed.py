import os

from flask import Flask, request

app = Flask(__name__)
# Flask answers 413 to a larger request before the view runs.
app.config["MAX_CONTENT_LENGTH"] = 10 * 1024 * 1024


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
