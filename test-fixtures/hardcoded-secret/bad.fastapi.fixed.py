import os
from datetime import datetime, timedelta, timezone

import jwt
from fastapi import Depends, FastAPI
from fastapi.security import OAuth2PasswordBearer

SECRET_KEY = os.environ["JWT_SECRET_2"]  # expect: hardcoded-secret
ALGORITHM = "HS256"

app = FastAPI()
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")


def create_access_token(subject: str) -> str:
    expire = datetime.now(timezone.utc) + timedelta(minutes=30)
    return jwt.encode({"sub": subject, "exp": expire}, SECRET_KEY, algorithm=ALGORITHM)


def current_user(token: str = Depends(oauth2_scheme)) -> str:
    return jwt.decode(token, SECRET_KEY, algorithms=[ALGORITHM])["sub"]
