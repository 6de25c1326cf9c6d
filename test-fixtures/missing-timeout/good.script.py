# A one-off script run from a terminal: whoever runs it can interrupt a stalled download.
import requests


def download(url, path):
    with open(path, "wb") as out:
        out.write(requests.get(url).content)


if __name__ == "__main__":
    download("https://example.com/export.csv", "export.csv")
