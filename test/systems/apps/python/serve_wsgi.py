"""Serves a Flask app module on a free loopback port for the fix-verification suite.

Usage: python3 serve_wsgi.py MODULE_FILE [FUNCTION ...]

Runs in the module's folder (so relative paths such as "app.db" land there), imports the module,
exposes each named plain function as GET /__call/NAME?arg=VALUE (JSON result) so that helpers
that are not routes can be driven over HTTP too, prints "PORT <n>" once it listens, and serves
until stdin closes, so it never outlives the test process that started it.
"""
import importlib.util
import json
import os
import sys
import threading

from flask import jsonify, request
from werkzeug.serving import make_server


def main():
    module_file = os.path.abspath(sys.argv[1])
    os.chdir(os.path.dirname(module_file))
    # Modules beside it (a generated helper, a Django app package) import as top-level modules.
    sys.path.insert(0, os.path.dirname(module_file))
    spec = importlib.util.spec_from_file_location("app_under_test", module_file)
    module = importlib.util.module_from_spec(spec)
    # Registered before it runs, so that code naming its own module (Django's ROOT_URLCONF) finds it.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    app = module.app

    for name in sys.argv[2:]:
        fn = getattr(module, name)

        def call(fn=fn):
            try:
                return jsonify(result=fn(request.args.get("arg")))
            except Exception as err:  # the value a vulnerable helper chokes on is part of the evidence
                return jsonify(error=f"{type(err).__name__}: {err}"), 500

        app.add_url_rule(f"/__call/{name}", endpoint=f"__call_{name}", view_func=call)

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"PORT {server.server_port}", flush=True)
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
