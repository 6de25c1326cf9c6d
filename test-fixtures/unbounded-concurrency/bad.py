import asyncio

import httpx
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Skus(BaseModel):
    skus: list[str]


@app.post("/prices/refresh")
async def refresh_prices(body: Skus):
    # One request per SKU the client sent, all at once.
    async with httpx.AsyncClient(base_url="https://prices.example.com") as client:
        return await asyncio.gather(*[client.get(f"/prices/{sku}") for sku in body.skus])  # expect: unbounded-concurrency


async def warm_profiles(db, client):
    user_ids = (await db.execute("SELECT id FROM users")).fetchall()
    results = await asyncio.gather(*(client.get(f"/users/{row.id}") for row in user_ids), return_exceptions=True)  # expect: unbounded-concurrency
    return [r for r in results if not isinstance(r, Exception)]


async def ping_all(db, client):
    hosts = await db.fetch("SELECT hostname FROM monitors")
    tasks = [asyncio.create_task(client.get(h["hostname"])) for h in hosts]
    await asyncio.gather(*tasks)  # expect: unbounded-concurrency


async def fetch_pages(session, client):
    docs = session.query(Doc).all()
    pending = []
    for doc in docs:
        pending.append(client.get(doc.url))
    return await asyncio.gather(*pending)  # expect: unbounded-concurrency
