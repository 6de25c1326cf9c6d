#!/usr/bin/env python3
"""A one-off backfill run from a terminal: its round trips cost nobody a page view."""
from app.models import User, UserSeason


def backfill(season):
    for user in User.query.filter_by(status="alumni").all():
        if not UserSeason.query.filter_by(user_id=user.id, season_id=season.id).first():
            print("missing", user.id)


if __name__ == "__main__":
    backfill(None)
