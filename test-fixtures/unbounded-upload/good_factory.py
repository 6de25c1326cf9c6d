from flask import Flask, request


def create_app():
    # The limit comes with the configuration object loaded here.
    app = Flask(__name__)
    app.config.from_object("config.Production")

    @app.post("/avatar")
    def avatar():
        request.files["avatar"].save("uploads/avatar.png")
        return "", 204

    return app
