import random
import string
from random import choice

ALPHABET = string.ascii_letters + string.digits


def new_api_token():
    return "".join(random.choices(ALPHABET, k=32))  # expect: insecure-randomness


def send_login_code(user):
    otp = str(random.randint(100000, 999999))  # expect: insecure-randomness
    user.pending_otp = otp
    return otp


def make_salt():
    return "".join(choice(ALPHABET) for _ in range(16))  # expect: insecure-randomness


def issue_reset(user):
    user.reset_code = random.randrange(10 ** 8)  # expect: insecure-randomness
    user.session_key = random.getrandbits(128)  # expect: insecure-randomness
    return user
