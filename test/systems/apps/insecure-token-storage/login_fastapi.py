"""Password sign-in that keeps the session in a cookie, served by FastAPI: Starlette sets SameSite=Lax
by default, but the session cookie goes out without HttpOnly and Secure."""
import secrets

from fastapi import FastAPI, HTTPException, Request, Response

app = FastAPI()

PASSWORDS = {"ada@example.com": "correct horse battery staple"}
SESSIONS = {}


@app.post("/login")
async def login(request: Request, response: Response):
    body = await request.json()
    if PASSWORDS.get(body.get("email")) != body.get("password"):
        raise HTTPException(status_code=401, detail="invalid credentials")
    session_token = secrets.token_hex(32)
    SESSIONS[session_token] = body["email"]
    response.set_cookie(key="session_token", value=session_token)
    response.set_cookie(key="lang", value="en")
    return {"ok": True, "email": body["email"]}


@app.get("/me")
def me(request: Request):
    email = SESSIONS.get(request.cookies.get("session_token", ""))
    if email is None:
        raise HTTPException(status_code=401, detail="not signed in")
    return {"email": email}
