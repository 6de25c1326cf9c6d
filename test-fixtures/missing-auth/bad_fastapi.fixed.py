from fastapi import APIRouter, Depends
from deps import get_current_user

router = APIRouter(prefix="/billing")


@router.get("/plans")
def plans():
    return list_plans()


@router.post("/refunds/{charge_id}", dependencies=[Depends(get_current_user)])  # expect: missing-auth
def refund(charge_id: str):
    return issue_refund(charge_id)
