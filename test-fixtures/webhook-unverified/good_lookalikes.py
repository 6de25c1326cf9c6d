# Views that look like webhook receivers and are not, and receivers that verify.
from aiohttp import web
from django.contrib.auth.decorators import login_required
from webauthn import verify_registration_response

from .config import settings


# WebAuthn registration: the verify call checks an authenticator, not a provider's event.
@login_required
def add_security_key(request):
    credential = verify_registration_response(credential=request.POST["credential"], expected_challenge=request.session["challenge"])
    request.user.credentials.create(public_key=credential.credential_public_key)
    return web.json_response({"ok": True})


# A signed-in user editing the settings of an outgoing webhook integration.
@login_required
def webhook_form(request, channel):
    form = WebhookForm(request.POST)
    if form.is_valid():
        channel.value = form.cleaned_data["url"]
        channel.save()
    return web.json_response({"ok": True})


# Telegram delivers to a secret path; the secret is checked before the update is used.
async def webhook_handler(request):
    secret = request.match_info.get("secret")
    # vibeguard-disable-next-line timing-unsafe-compare -- the timing leak is timing-unsafe-compare's finding (its own fixtures cover it); this fixture is about the sender check
    if secret != settings.WEBHOOK_SECRET:
        return web.Response(status=403)
    data = await request.json()
    await dispatcher.feed_update(data)
    return web.Response()
