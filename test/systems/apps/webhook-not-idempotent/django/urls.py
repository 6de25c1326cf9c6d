from django.urls import path

from shop import views

urlpatterns = [path("webhooks/stripe", views.stripe_webhook)]
