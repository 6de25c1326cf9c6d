# A wallet withdrawal over psycopg2, as assistants write it: read, subtract in Python, write back.
import psycopg2  # noqa: F401  (the connection is handed in by the caller)


def withdraw(conn, account_id, amount):
    with conn.cursor() as cur:
        cur.execute("SELECT balance FROM accounts WHERE id = %s", (account_id,))
        balance = cur.fetchone()[0]
        if balance < amount:
            conn.rollback()
            raise ValueError("insufficient funds")
        cur.execute("UPDATE accounts SET balance = %s WHERE id = %s", (balance - amount, account_id))
    conn.commit()
