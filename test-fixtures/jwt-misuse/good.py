import os
from datetime import datetime, timedelta, timezone

import jwt
from fastapi import FastAPI, Header

app = FastAPI()
SIGNING_KEY = os.environ["API_SIGNING_KEY"]
jwks_client = jwt.PyJWKClient(os.environ["JWKS_URL"])


def issue(user_id):
    payload = {"sub": user_id, "exp": datetime.now(timezone.utc) + timedelta(minutes=30)}
    return jwt.encode(payload, SIGNING_KEY, algorithm="HS256")


def issue_with_later_expiry(user_id):
    payload = {"sub": user_id}
    payload["exp"] = datetime.now(timezone.utc) + timedelta(hours=2)
    return jwt.encode(payload, SIGNING_KEY, algorithm="HS256")


def get_current_user(authorization: str = Header(...)):
    token = authorization.removeprefix("Bearer ")
    return jwt.decode(token, SIGNING_KEY, algorithms=["HS256"])["sub"]


def get_user_from_partner_token(token):
    # Reading the issuer to choose the key set, then verifying.
    unverified = jwt.decode(token, options={"verify_signature": False})
    key = jwks_client.get_signing_key_from_jwt(token).key
    return jwt.decode(token, key, algorithms=["RS256"], issuer=unverified["iss"])


def token_kid(token):
    return jwt.get_unverified_header(token)["kid"]


def debug_dump(token):
    # A command-line helper printing a token's claims: it decides no access.
    print(jwt.decode(token, options={"verify_signature": False}))


class Token:
    # The JWT only wraps an opaque token stored with its own expiration: the server expires the record.
    def access_token_jwt(self):
        return jwt.encode({"token": self.access_token}, SIGNING_KEY, algorithm="HS256")
