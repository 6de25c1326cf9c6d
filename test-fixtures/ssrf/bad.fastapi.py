import httpx
from fastapi import FastAPI

app = FastAPI()


@app.get("/fetch")
async def fetch_page(url: str):
    async with httpx.AsyncClient() as client:
        page = await client.get(url)  # expect: ssrf
    return {"length": len(page.text)}
