import os
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.post("/count")
def count():
    name = request.json["file"]
    done = subprocess.run(f"wc -c {name}", shell=True, capture_output=True, text=True, cwd=os.environ["WORK_DIR"])
    if done.returncode != 0:
        return {"error": "cannot count"}, 422
    return {"output": done.stdout.strip()}
