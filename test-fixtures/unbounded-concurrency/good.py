import asyncio

SERVICES = ("auth", "billing", "search")
semaphore = asyncio.Semaphore(10)


async def health(client):
    # A constant tuple of services.
    return await asyncio.gather(*[client.get(f"/{name}/health") for name in SERVICES])


async def pair(client, user_id):
    # Two calls, written out.
    return await asyncio.gather(client.get(f"/users/{user_id}"), client.get("/feed"))


async def _bounded_get(client, url):
    async with semaphore:
        return await client.get(url)


async def crawl(client, urls):
    # Each task takes the semaphore before its request.
    return await asyncio.gather(*[_bounded_get(client, u) for u in urls])


async def in_batches(client, urls):
    for start in range(0, len(urls), 20):
        batch = urls[start:start + 20]
        await asyncio.gather(*[client.get(u) for u in batch])


async def first_page(client, urls):
    await asyncio.gather(*[client.get(u) for u in urls[:10]])


async def first_rows(db, client):
    rows = await db.fetch("SELECT id FROM users ORDER BY id LIMIT 20")
    await asyncio.gather(*[client.get(f"/users/{r['id']}") for r in rows])
