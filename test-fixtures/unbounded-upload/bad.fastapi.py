from fastapi import FastAPI, File, Request, UploadFile

app = FastAPI()


@app.post("/documents")
async def upload_document(file: UploadFile = File(...)):
    data = await file.read()  # expect: unbounded-upload
    return {"bytes": len(data)}


@app.post("/ingest")
async def ingest(request: Request):
    payload = await request.body()  # expect: unbounded-upload
    return {"bytes": len(payload)}
