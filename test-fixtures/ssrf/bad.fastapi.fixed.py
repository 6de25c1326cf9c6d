import httpx
from fastapi import FastAPI, HTTPException
from urllib.parse import urlparse

# The hosts this server may fetch on a caller's behalf, e.g. "images.example.com".
ALLOWED_FETCH_HOSTS = frozenset()

app = FastAPI()


@app.get("/fetch")
async def fetch_page(url: str):
    async with httpx.AsyncClient() as client:
        if urlparse(url).hostname not in ALLOWED_FETCH_HOSTS:
            raise HTTPException(status_code=400, detail="URL host is not allowed")
        page = await client.get(url)  # expect: ssrf
    return {"length": len(page.text)}
