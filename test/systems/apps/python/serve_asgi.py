"""Serves an ASGI app module (FastAPI) on a free loopback port for the fix-verification suite.

Usage: python3 serve_asgi.py MODULE_FILE

Runs in the module's folder, imports it with that folder on the path (so that a generated helper
beside it imports), serves its `app` with uvicorn, prints "PORT <n>" once
it listens, and serves until stdin closes, so it never outlives the test process that started it.
"""
import importlib
import os
import socket
import sys
import threading

import uvicorn


def main():
    module_file = os.path.abspath(sys.argv[1])
    folder = os.path.dirname(module_file)
    os.chdir(folder)
    sys.path.insert(0, folder)
    module = importlib.import_module(os.path.splitext(os.path.basename(module_file))[0])
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(module.app, log_level="warning"))
    threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
    while not server.started:
        threading.Event().wait(0.05)
    print(f"PORT {sock.getsockname()[1]}", flush=True)
    sys.stdin.read()
    server.should_exit = True


if __name__ == "__main__":
    main()
