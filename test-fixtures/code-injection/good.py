import json
import pickle
import subprocess
from pathlib import Path

import yaml
from flask import Flask, request

app = Flask(__name__)

# A model file shipped with the app, loaded at startup.
with open(Path(__file__).parent / "model.pkl", "rb") as fh:
    MODEL = pickle.load(fh)

with open("config.yaml") as fh:
    CONFIG = yaml.safe_load(fh)


@app.post("/ping")
def ping():
    host = request.form["host"]
    return subprocess.check_output(["ping", "-c", "1", host])


@app.get("/uptime")
def uptime():
    # A constant command may use the shell.
    return subprocess.check_output("uptime | cut -d, -f1", shell=True)


@app.post("/import")
def import_config():
    config = yaml.load(request.data, Loader=yaml.SafeLoader)
    return {"keys": list(config)}


@app.post("/data")
def data():
    return json.loads(request.data)


def features(rows):
    # A pickle of our own rows is a cache, not input from a client.
    return pickle.loads(pickle.dumps(rows))


def run_checked(command):
    # Runs the command line its caller built; callers pass constants.
    return subprocess.run(command, shell=True, check=True)
