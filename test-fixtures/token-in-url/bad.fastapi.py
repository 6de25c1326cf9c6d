from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse

app = FastAPI()


@app.get("/auth/finish")
async def finish(request: Request):
    user = await complete_login(request.query_params["code"])
    jwt_token = create_access_token({"sub": user.id})
    return RedirectResponse(url=f"/app?jwt={jwt_token}&first=1", status_code=303)  # expect: token-in-url
