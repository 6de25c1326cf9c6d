from django.http import JsonResponse

from shop.models import Product


def withdraw(conn, account_id, amount):
    with conn.cursor() as cur:
        cur.execute("SELECT balance FROM accounts WHERE id = %s", (account_id,))
        balance = cur.fetchone()[0]
        if balance < amount:
            raise ValueError("insufficient funds")
        cur.execute("UPDATE accounts SET balance = balance - %s WHERE id = %s AND balance >= %s", (amount, account_id, amount))  # expect: lost-update
    conn.commit()


def buy(request, product_id):
    product = Product.objects.get(pk=product_id)
    product.stock = product.stock - int(request.POST["quantity"])  # expect: lost-update
    product.save()
    return JsonResponse({"stock": product.stock})
