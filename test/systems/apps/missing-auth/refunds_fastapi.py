# A FastAPI shop API: orders depend on get_current_user, the refunds route was added without it.
import os

from fastapi import Depends, FastAPI, Header, HTTPException

app = FastAPI()


def get_current_user(authorization: str = Header(default="")):
    if authorization != "Bearer " + os.environ["API_TOKEN"]:
        raise HTTPException(status_code=401, detail="unauthorized")
    return {"id": 1}


@app.get("/orders")
def orders(user=Depends(get_current_user)):
    return [{"id": 7, "total": 4200}]


@app.post("/admin/refunds")
def refund(body: dict):
    return {"refunded": body["orderId"]}
