import os

from flask import Flask, request

app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 10 * 1024 * 1024


@app.post("/avatar")
def avatar():
    request.files["avatar"].save(os.path.join("uploads", "avatar.png"))
    return "", 204
