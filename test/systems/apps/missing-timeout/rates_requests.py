# A partner API call with requests, as assistants write it: no timeout.
import requests


def fetch_rates(base_url, currency):
    res = requests.get(f"{base_url}/rates/{currency}")
    return res.json()
