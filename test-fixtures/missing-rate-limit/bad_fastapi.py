from fastapi import FastAPI, Request
from slowapi import Limiter
from slowapi.util import get_remote_address

app = FastAPI()
limiter = Limiter(key_func=get_remote_address)


@app.post("/auth/login")  # expect: missing-rate-limit
async def login(request: Request):
    body = await request.json()
    return await authenticate(body["email"], body["password"])


@app.post("/auth/verify-otp")  # expect: missing-rate-limit
async def verify_otp(code: str):
    return await check_code(code)
