"""Sign-in completion served by FastAPI: the session token goes to the SPA in the redirect URL.
Tokens are signed with itsdangerous, as in sso_flask.py."""
import os

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from itsdangerous import URLSafeTimedSerializer

app = FastAPI()


@app.get("/auth/finish")
async def finish(code: str):
    if code != "c0ffee":
        return RedirectResponse(url="/login?error=invalid_code", status_code=303)
    jwt_token = URLSafeTimedSerializer(os.environ["SESSION_SIGNING_KEY"]).dumps({"sub": "user_42"})
    return RedirectResponse(url=f"/app?jwt={jwt_token}&first=1", status_code=303)
