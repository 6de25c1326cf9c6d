from django.db import transaction
from django.db.models import F

from shop.models import Product


def withdraw_atomic(conn, account_id, amount):
    with conn.cursor() as cur:
        cur.execute("UPDATE accounts SET balance = balance - %s WHERE id = %s AND balance >= %s", (amount, account_id, amount))
    conn.commit()


def withdraw_locked(conn, account_id, amount):
    with conn:
        with conn.cursor() as cur:
            cur.execute("SELECT balance FROM accounts WHERE id = %s FOR UPDATE", (account_id,))
            balance = cur.fetchone()[0]
            cur.execute("UPDATE accounts SET balance = %s WHERE id = %s", (balance - amount, account_id))


def buy_with_f(product_id, quantity):
    Product.objects.filter(pk=product_id).update(stock=F("stock") - quantity)


def buy_locked(product_id, quantity):
    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=product_id)
        product.stock -= quantity
        product.save()


def withdraw_versioned(conn, account_id, amount):
    # Optimistic: the UPDATE only applies if nobody changed the row since it was read.
    with conn.cursor() as cur:
        cur.execute("SELECT balance, version FROM accounts WHERE id = %s", (account_id,))
        balance, version = cur.fetchone()
        cur.execute(
            "UPDATE accounts SET balance = %s, version = version + 1 WHERE id = %s AND version = %s",
            (balance - amount, account_id, version),
        )
        return cur.rowcount == 1
