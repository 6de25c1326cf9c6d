import ast
import os
import pickle
import subprocess
import base64

import yaml
from flask import Flask, request

app = Flask(__name__)


@app.post("/ping")
def ping():
    host = request.form["host"]
    out = subprocess.check_output(["ping", "-c", "1", str(host)])  # expect: code-injection
    return out


@app.post("/convert")
def convert():
    name = request.args.get("name")
    status = subprocess.run(["convert", f"uploads/{name}", f"out/{name}.png"]).returncode  # expect: code-injection
    return {"status": status}


@app.post("/backup")
def backup():
    subprocess.run(["tar", "czf", f"/backups/{request.json['label']}.tgz", "/srv/data"])  # expect: code-injection
    return "", 204


@app.post("/pipe")
def pipe():
    return subprocess.run("cat " + request.args["f"] + " | wc -l", shell=True, capture_output=True).stdout  # expect: code-injection


@app.post("/calc")
def calc():
    return {"value": ast.literal_eval(request.json["expression"])}  # expect: code-injection


@app.post("/script")
def script():
    exec(request.form["code"])  # expect: code-injection
    return "", 204


@app.post("/session")
def restore_session():
    state = pickle.loads(base64.b64decode(request.cookies.get("state")))  # expect: code-injection
    return {"user": state["user"]}


@app.post("/import")
def import_config():
    config = yaml.safe_load(request.data)  # expect: code-injection
    return {"keys": list(config)}


@app.post("/import-all")
def import_all():
    docs = yaml.safe_load(request.get_data())  # expect: code-injection
    return {"count": len(docs)}


@app.post("/resize")
def resize():
    width = request.form["width"]
    subprocess.call(["convert", "in.png", "-resize", str(width), "out.png"])  # expect: code-injection
    return "", 204


@app.get("/whois")
def whois():
    domain = request.args["domain"]
    report = subprocess.run(["whois", str(domain)], capture_output=True, text=True).stdout  # expect: code-injection
    summary = subprocess.run(["dig", "+short", str(domain)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout.removesuffix("\n")  # expect: code-injection
    return {"report": report, "summary": summary}
