"""Sign-up on Flask and the SQLAlchemy ORM (PostgreSQL): the view checks two fields, then builds the user from the whole body."""
import os

from flask import Flask, jsonify, request
from sqlalchemy import Boolean, Column, Integer, String, create_engine
from sqlalchemy.orm import Session, declarative_base

app = Flask(__name__)
engine = create_engine(os.environ["DATABASE_URL"])
Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    email = Column(String, nullable=False)
    password = Column(String, nullable=False)
    isAdmin = Column(Boolean, nullable=False, default=False)


@app.post("/signup")
def signup():
    if not request.json.get("email") or not request.json.get("password"):
        return jsonify(error="email and password required"), 400
    with Session(engine) as db:
        user = User(**request.json)
        db.add(user)
        db.commit()
        return jsonify(id=user.id), 201
