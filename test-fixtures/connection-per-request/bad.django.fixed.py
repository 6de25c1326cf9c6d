from django.conf import settings
from django.http import JsonResponse
from pymongo import MongoClient

client = MongoClient(settings.MONGO_URL)  # expect: connection-per-request


def product_list(request):
    products = list(client.shop.products.find({"active": True}, {"_id": 0}).limit(50))
    return JsonResponse({"products": products})
