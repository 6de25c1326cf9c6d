from fastapi import FastAPI, File, Request, UploadFile, HTTPException

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

app = FastAPI()


@app.post("/documents")
async def upload_document(file: UploadFile = File(...)):
    if file.size is not None and file.size > MAX_UPLOAD_BYTES:
        raise HTTPException(status_code=413, detail="Upload too large")
    data = await file.read()  # expect: unbounded-upload
    return {"bytes": len(data)}


@app.post("/ingest")
async def ingest(request: Request):
    if int(request.headers.get("content-length") or 0) > MAX_UPLOAD_BYTES:
        raise HTTPException(status_code=413, detail="Upload too large")
    payload = await request.body()  # expect: unbounded-upload
    return {"bytes": len(payload)}
