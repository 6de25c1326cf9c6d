ALLOWED = ["admin", "editor"]


def unique(emails):
    seen = set()
    counts = {}
    for e in emails:
        if e in seen:
            continue
        seen.add(e)
        counts[e] = counts.get(e, 0) + 1
    return len(seen), counts


def check(users, banned_text):
    return [u for u in users if u.role in ALLOWED and u.name not in banned_text and "@" in u.email]
