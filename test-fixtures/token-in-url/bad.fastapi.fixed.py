from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse

app = FastAPI()


@app.get("/auth/finish")
async def finish(request: Request):
    user = await complete_login(request.query_params["code"])
    jwt_token = create_access_token({"sub": user.id})
    response = RedirectResponse(url="/app?first=1", status_code=303)
    response.set_cookie("jwt", jwt_token, httponly=True, secure=True, samesite="Lax")
    return response  # expect: token-in-url
