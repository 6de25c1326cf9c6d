import os

from flask import Flask, request

app = Flask(__name__)


@app.post("/upload")
def upload():
    f = request.files["file"]
    path = os.path.join(os.getcwd(), "upload.bin")
    f.save(path)
    return {"bytes": os.path.getsize(path)}
