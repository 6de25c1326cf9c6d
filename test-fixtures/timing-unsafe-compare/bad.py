import hashlib
import hmac
import os

from django.http import HttpResponseForbidden, JsonResponse
from fastapi import FastAPI, Header, HTTPException
from flask import Flask, abort, request

app = Flask(__name__)
api = FastAPI()


@app.post("/hooks/builds")
def build_hook():
    digest = hmac.new(os.environ["BUILD_HOOK_SECRET"].encode(), request.get_data(), hashlib.sha256).hexdigest()
    if request.headers.get("X-Build-Signature") != digest:  # expect: timing-unsafe-compare
        abort(401)
    return "", 204


@api.get("/metrics")
def metrics(x_api_key: str = Header(...)):
    if x_api_key != os.getenv("METRICS_API_KEY"):  # expect: timing-unsafe-compare
        raise HTTPException(status_code=401)
    return {"ok": True}


def confirm_email(request, user_id):
    account = Account.objects.get(pk=user_id)
    submitted = request.GET.get("token")
    if submitted == account.verification_token:  # expect: timing-unsafe-compare
        account.verified = True
        account.save()
        return JsonResponse({"verified": True})
    return HttpResponseForbidden()
