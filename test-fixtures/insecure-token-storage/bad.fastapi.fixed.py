from fastapi import FastAPI, Response

app = FastAPI()


@app.post("/auth/login")
def login(form: LoginForm, response: Response):
    token = create_access_token(authenticate(form))
    response.set_cookie(key="access_token", value=token, secure=True, httponly=True)  # expect: insecure-token-storage
    return {"access_token": token, "token_type": "bearer"}  # expect: insecure-token-storage
# vibeguard-disable-file missing-rate-limit -- this fixture is about insecure-token-storage; missing-rate-limit has fixtures of its own
