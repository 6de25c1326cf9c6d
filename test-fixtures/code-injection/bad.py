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
    out = subprocess.check_output(f"ping -c 1 {host}", shell=True)  # expect: code-injection
    return out


@app.post("/convert")
def convert():
    name = request.args.get("name")
    status = os.system("convert uploads/%s out/%s.png" % (name, name))  # expect: code-injection
    return {"status": status}


@app.post("/backup")
def backup():
    os.system(f"tar czf /backups/{request.json['label']}.tgz /srv/data")  # expect: code-injection
    return "", 204


@app.post("/pipe")
def pipe():
    return subprocess.run("cat " + request.args["f"] + " | wc -l", shell=True, capture_output=True).stdout  # expect: code-injection


@app.post("/calc")
def calc():
    return {"value": eval(request.json["expression"])}  # expect: code-injection


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
    config = yaml.load(request.data, Loader=yaml.Loader)  # expect: code-injection
    return {"keys": list(config)}


@app.post("/import-all")
def import_all():
    docs = yaml.full_load(request.get_data())  # expect: code-injection
    return {"count": len(docs)}


@app.post("/resize")
def resize():
    width = request.form["width"]
    cmd = "convert in.png -resize " + width + " out.png"
    subprocess.call(cmd, shell=True)  # expect: code-injection
    return "", 204


@app.get("/whois")
def whois():
    domain = request.args["domain"]
    report = os.popen(f"whois {domain}").read()  # expect: code-injection
    summary = subprocess.getoutput("dig +short " + domain)  # expect: code-injection
    return {"report": report, "summary": summary}
