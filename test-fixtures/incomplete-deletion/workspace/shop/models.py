from django.conf import settings
from django.db import models


class Address(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    street = models.CharField(max_length=120)


class Review(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    text = models.TextField()


class ReviewFlag(models.Model):
    review = models.ForeignKey(Review, on_delete=models.PROTECT)
    reason = models.CharField(max_length=40)


class Newsletter(models.Model):
    subscriber = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
