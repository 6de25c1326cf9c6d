# One-time codes, reset tokens and API keys made with Python's random module.
import random
import string

from flask import Flask

app = Flask(__name__)
ALPHABET = string.ascii_letters + string.digits


@app.post("/login/code")
def login_code():
    otp = random.randint(100000, 999999)
    return {"otp": str(otp)}


def new_reset_token():
    return "".join(random.choices(ALPHABET, k=24))


@app.post("/password-reset")
def password_reset():
    return {"reset_token": new_reset_token()}
