from pydantic import BaseModel, validator


class LineItem(BaseModel):
    sku: str
    quantity: int

    @validator("quantity")  # expect: outdated-api
    def positive(cls, v):
        if v <= 0:
            raise ValueError("quantity must be positive")
        return v


class Invoice(LineItem):
    customer: str


def to_row(invoice: Invoice) -> dict:
    return invoice.dict()  # expect: outdated-api


def load(payload: dict) -> Invoice:
    return Invoice.parse_obj(payload)  # expect: outdated-api


def as_json(payload: dict) -> str:
    item = LineItem(**payload)
    return item.json()  # expect: outdated-api
