import asyncio

import httpx
from fastapi import FastAPI
from pydantic import BaseModel


async def gather_in_batches(aws, size, return_exceptions=False):
    """asyncio.gather over the awaitables, at most `size` at a time; results keep their order."""
    aws = list(aws)
    results = []
    for start in range(0, len(aws), size):
        try:
            results.extend(await asyncio.gather(*aws[start:start + size], return_exceptions=return_exceptions))
        except BaseException:
            # The later coroutines never run: close them so none is reported as never awaited.
            for aw in aws[start + size:]:
                if asyncio.iscoroutine(aw):
                    aw.close()
            raise
    return results

app = FastAPI()


class Skus(BaseModel):
    skus: list[str]


@app.post("/prices/refresh")
async def refresh_prices(body: Skus):
    # One request per SKU the client sent, all at once.
    async with httpx.AsyncClient(base_url="https://prices.example.com") as client:
        return await gather_in_batches([client.get(f"/prices/{sku}") for sku in body.skus], 10)  # expect: unbounded-concurrency


async def warm_profiles(db, client):
    user_ids = (await db.execute("SELECT id FROM users")).fetchall()
    results = await gather_in_batches((client.get(f"/users/{row.id}") for row in user_ids), 10, return_exceptions=True)  # expect: unbounded-concurrency
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
