def find_duplicates(emails):
    seen = []
    dupes = []
    for email in emails:
        if email in seen:  # expect: quadratic-loop
            dupes.append(email)
        seen.append(email)
    return dupes


def parents(orders):
    parent_ids = [o.parent_id for o in orders]
    return [o for o in orders if o.id in parent_ids]  # expect: quadratic-loop


def positions(items):
    return [items.index(x) for x in items]  # expect: quadratic-loop
