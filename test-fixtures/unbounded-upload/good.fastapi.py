from fastapi import FastAPI, File, HTTPException, Request, UploadFile

app = FastAPI()
MAX_BYTES = 5 * 1024 * 1024


@app.post("/documents")
async def upload_document(file: UploadFile = File(...)):
    if file.size is not None and file.size > MAX_BYTES:
        raise HTTPException(status_code=413)
    data = await file.read()
    return {"bytes": len(data)}


@app.post("/chunks")
async def chunks(file: UploadFile):
    first = await file.read(1024)
    return {"head": len(first)}


@app.post("/ingest")
async def ingest(request: Request):
    if int(request.headers.get("content-length") or 0) > MAX_BYTES:
        raise HTTPException(status_code=413)
    return {"bytes": len(await request.body())}


@app.post("/webhooks/stripe")
async def stripe_webhook(request: Request):
    # The signature is computed over the exact raw bytes of the provider's event.
    payload = await request.body()
    signature = request.headers.get("stripe-signature")
    return {"received": bool(payload and signature)}
