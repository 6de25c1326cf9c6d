import random
import secrets


def new_api_token():
    return secrets.token_urlsafe(32)


def retry_delay(attempt):
    return 2 ** attempt + random.uniform(0, 1)


def sample_rows(rows):
    return random.sample(rows, 10)


def pick_color():
    return random.choice(["red", "green", "blue"])


def shuffled_quiz(questions):
    order = list(questions)
    random.shuffle(order)
    return order


def otp_with_system_random():
    return random.SystemRandom().randint(100000, 999999)
