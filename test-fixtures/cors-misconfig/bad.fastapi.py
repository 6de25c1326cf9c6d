from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

app = FastAPI()
app.add_middleware(
    CORSMiddleware,
    allow_origins=["*"],  # expect: cors-misconfig
    allow_credentials=True,
    allow_methods=["*"],
)
