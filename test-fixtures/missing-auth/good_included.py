# Included by main.py under /admin with dependencies=[Depends(get_current_user)].
from fastapi import APIRouter

router = APIRouter()


@router.get("/users")
def users():
    return list_users()


@router.delete("/users/{user_id}")
def delete_user(user_id: int):
    return remove_user(user_id)
