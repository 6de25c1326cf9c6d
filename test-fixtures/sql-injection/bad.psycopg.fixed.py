import psycopg2
from sqlalchemy import create_engine, text

engine = create_engine("postgresql+psycopg2://app@localhost/shop")
pg = psycopg2.connect(dsn="dbname=shop")


def find_by_name(name):
    with pg.cursor() as cur:
        cur.execute("SELECT * FROM customers WHERE name = %s AND deleted_at IS NULL", (name,))  # expect: sql-injection
        return cur.fetchall()


def promote(user_id, role):
    with pg.cursor() as cur:
        cur.execute("UPDATE users SET role = %s WHERE id = %s", (role, user_id))  # expect: sql-injection


def recent(conn, days):
    return conn.execute(text("SELECT * FROM events WHERE created_at > now() - interval '1 day' * :days"), {"days": days})  # expect: sql-injection
