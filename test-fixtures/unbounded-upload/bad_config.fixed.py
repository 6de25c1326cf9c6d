from flask import Flask

app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 10 * 1024 * 1024  # expect: unbounded-upload


class ProductionConfig:
    MAX_CONTENT_LENGTH = 10 * 1024 * 1024  # expect: unbounded-upload
