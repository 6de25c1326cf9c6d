from django.http import JsonResponse
from flask import Flask, request
from pydantic import BaseModel

app = Flask(__name__)


class SignupIn(BaseModel):
    email: str
    password: str


# Validated by pydantic before the write.
@app.post("/accounts")
def signup():
    payload = SignupIn.model_validate(request.json)
    user = User(**payload.model_dump())
    db.session.add(user)
    return {"id": user.id}


# Explicitly picked fields.
@app.post("/notes")
def create_note():
    data = request.get_json()
    note = Note(title=data["title"], body=data["body"])
    db.session.add(note)
    return {"id": note.id}


# A Django ModelForm validates and picks the fields it declares.
def create_profile(request):
    form = ProfileForm(request.POST)
    if form.is_valid():
        form.save()
    return JsonResponse({"ok": True})


# A DRF serializer validates the body.
def create_order(request):
    serializer = OrderSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    Order.objects.create(**serializer.validated_data)
    return JsonResponse({"ok": True})


# A loop over an explicit list of allowed fields.
@app.patch("/me")
def update_me():
    user = current_user()
    for key in ("name", "bio"):
        if key in request.json:
            setattr(user, key, request.json[key])
    return "", 204
