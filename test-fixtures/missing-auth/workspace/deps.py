from fastapi import Depends, HTTPException


def get_current_user(token: str = Depends(oauth2_scheme)):
    user = decode(token)
    if user is None:
        raise HTTPException(status_code=401)
    return user
