import os

import jwt

os.environ["SECRET_KEY"] = "test-secret-key-123"
TEST_PASSWORD = "hunter2-test"


def make_token(user_id):
    return jwt.encode({"sub": user_id, "exp": 4102444800}, "test-signing-key", algorithm="HS256")
