from django.db import models


class Order(models.Model):
    id = models.BigAutoField(primary_key=True)
    email = models.EmailField()
    paid = models.BooleanField(default=False)
