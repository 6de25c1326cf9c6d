# No lockfile or pin in this workspace: the installed versions are unknown, so nothing is reported.
import openai
from langchain.chains import LLMChain
from pydantic import BaseModel


class Order(BaseModel):
    id: int


def reply(prompt, llm, order: Order):
    chain = LLMChain(llm=llm, prompt=prompt)
    openai.ChatCompletion.create(model="gpt-3.5-turbo", messages=[])
    return chain.run(order=order.dict())
