from django.conf import settings
from django.http import JsonResponse
from pymongo import MongoClient


def product_list(request):
    client = MongoClient(settings.MONGO_URL)  # expect: connection-per-request
    products = list(client.shop.products.find({"active": True}, {"_id": 0}).limit(50))
    client.close()
    return JsonResponse({"products": products})
