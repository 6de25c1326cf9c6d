import os
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

# The origins allowed to call this API with credentials, comma-separated (https://app.example.com,...).
CORS_ALLOWED_ORIGINS = [o.strip() for o in os.environ.get("CORS_ALLOWED_ORIGINS", "").split(",") if o.strip()]

app = FastAPI()
app.add_middleware(
    CORSMiddleware,
    allow_origins=CORS_ALLOWED_ORIGINS,  # expect: cors-misconfig
    allow_credentials=True,
    allow_methods=["*"],
)
