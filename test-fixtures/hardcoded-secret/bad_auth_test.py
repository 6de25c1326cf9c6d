import os

import jwt

os.environ["SECRET_KEY"] = "test-secret-key-123"  # expect: hardcoded-secret
TEST_PASSWORD = "hunter2-test"  # expect: hardcoded-secret


def make_token(user_id):
    return jwt.encode({"sub": user_id, "exp": 4102444800}, "test-signing-key", algorithm="HS256")  # expect: hardcoded-secret
