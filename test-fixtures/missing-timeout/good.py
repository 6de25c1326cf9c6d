import aiohttp
import httpx
import requests

TIMEOUT = (3.05, 27)
# An instance default bounds every request the client sends.
partner = httpx.Client(base_url="https://partner.example.com", timeout=10.0)


def with_timeouts(url):
    requests.get(url, timeout=5)
    requests.post(url, json={}, timeout=TIMEOUT)


def httpx_has_a_default(url):
    # httpx applies a five-second timeout unless told timeout=None.
    return httpx.get(url).json()


async def aiohttp_has_a_default(url):
    async with aiohttp.ClientSession() as s:
        async with s.get(url) as resp:
            return await resp.json()


def forwarded(url, **kwargs):
    # The caller's keyword arguments may carry the timeout.
    return requests.get(url, **kwargs)


def dict_get(payload):
    # Not an HTTP client: a dict lookup named get.
    return payload.get("url")


def via_instance(order_id):
    return partner.get(f"/orders/{order_id}").json()
