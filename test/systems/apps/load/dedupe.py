import json
import sys


def find_duplicates(emails):
    seen = []
    dupes = []
    for email in emails:
        if email in seen:
            dupes.append(email)
        seen.append(email)
    return dupes


if __name__ == "__main__":
    print(json.dumps(find_duplicates(json.load(sys.stdin))))
