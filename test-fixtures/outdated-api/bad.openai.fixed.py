import os

import openai
from openai import OpenAI

openai.api_key = os.environ["OPENAI_API_KEY"]
client = OpenAI(api_key=openai.api_key)


def summarise(text: str) -> str:
    response = client.chat.completions.create(  # expect: outdated-api
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": f"Summarise: {text}"}],
    )
    return response.choices[0].message.content


def embed(text: str):
    return client.embeddings.create(model="text-embedding-3-small", input=text).data[0].embedding  # expect: outdated-api
