# Every call here is valid in the versions requirements.txt pins (openai 0.28, pydantic 1.10, LangChain 0.1).
import openai
from flask import Flask
from langchain.chains import LLMChain
from pydantic import BaseModel
from sqlalchemy import create_engine

app = Flask(__name__)
engine = create_engine("sqlite://")


class Order(BaseModel):
    id: int


@app.before_first_request
def warm():
    engine.execute("SELECT 1")


def reply(prompt, llm, order: Order):
    chain = LLMChain(llm=llm, prompt=prompt)
    openai.ChatCompletion.create(model="gpt-3.5-turbo", messages=[])
    return chain.run(order=order.dict())
