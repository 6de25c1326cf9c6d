import random
import secrets
import string
from random import choice

ALPHABET = string.ascii_letters + string.digits


def new_api_token():
    return "".join([secrets.choice(ALPHABET) for _ in range(32)])  # expect: insecure-randomness


def send_login_code(user):
    otp = str(secrets.randbelow(900000) + 100000)  # expect: insecure-randomness
    user.pending_otp = otp
    return otp


def make_salt():
    return "".join(secrets.choice(ALPHABET) for _ in range(16))  # expect: insecure-randomness


def issue_reset(user):
    user.reset_code = secrets.randbelow(10 ** 8)  # expect: insecure-randomness
    user.session_key = secrets.randbits(128)  # expect: insecure-randomness
    return user
