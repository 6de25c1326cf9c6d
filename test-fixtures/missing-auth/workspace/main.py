from fastapi import Depends, FastAPI

from deps import get_current_user
from bad_fastapi import router as billing_router
from good_included import router as admin_router

app = FastAPI()
app.include_router(billing_router)
app.include_router(admin_router, prefix="/admin", dependencies=[Depends(get_current_user)])


@app.get("/me")
def me(user=Depends(get_current_user)):
    return user
