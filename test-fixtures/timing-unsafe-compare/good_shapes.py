from sqlalchemy import select

from .models import ShareLink, TwoFactorState
from .wallet import verify_wallet_signature


# A share link looked up by its token: the comparison is SQL built by SQLAlchemy, run in the database.
def find_share_link(db, token: str):
    return db.scalar(select(ShareLink).where(ShareLink.token == token))


# The address a signature recovers is public; comparing it with the claimed one leaks nothing.
def wallet_login(payload):
    signer = verify_wallet_signature(payload.message, payload.signature)
    if signer.lower() != payload.wallet_address.lower():
        raise PermissionError("bad signature")
    return signer


# Both values live on the server: the one-time id kept in the session and the stored record.
def second_factor_done(request):
    state = TwoFactorState.objects.filter(user=request.user).first()
    if state is None:
        return False
    return str(state.session_identifier) == request.session.get("second_factor_token")
