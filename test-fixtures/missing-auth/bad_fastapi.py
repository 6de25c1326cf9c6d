from fastapi import APIRouter

router = APIRouter(prefix="/billing")


@router.get("/plans")
def plans():
    return list_plans()


@router.post("/refunds/{charge_id}")  # expect: missing-auth
def refund(charge_id: str):
    return issue_refund(charge_id)
