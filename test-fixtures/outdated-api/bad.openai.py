import os

import openai

openai.api_key = os.environ["OPENAI_API_KEY"]


def summarise(text: str) -> str:
    response = openai.ChatCompletion.create(  # expect: outdated-api
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": f"Summarise: {text}"}],
    )
    return response.choices[0].message.content


def embed(text: str):
    return openai.Embedding.create(model="text-embedding-3-small", input=text).data[0].embedding  # expect: outdated-api
