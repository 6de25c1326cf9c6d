# pydantic 2 and openai 1.x are installed; these use the current APIs or pydantic's v1 compatibility layer.
from openai import OpenAI
from pydantic import BaseModel
from pydantic.v1 import BaseModel as BaseModelV1

client = OpenAI()


class Legacy(BaseModelV1):
    id: int


class Order(BaseModel):
    id: int


class Row:
    def dict(self):
        return {}


def export(order: Order, legacy: Legacy, row: Row, settings):
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=[])
    return order.model_dump(), legacy.dict(), row.dict(), settings.dict(), Order.model_validate({"id": 1}), reply
