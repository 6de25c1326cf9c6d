"""Runs a function of a module from several threads at once and prints what happened as JSON.

usage: run_threads.py MODULE.py MODE DSN_OR_URL
  claim:    4 workers, each with its own connection, call claim_next_job until it returns None;
            prints {job id: times claimed}
  withdraw: 50 threads, each with its own connection, call withdraw(conn, 1, 10) at once;
            prints {"ok": n, "refused": n}
  call:     one call of fetch_rates(URL, "EUR"); prints {"kind": "failed", "error": ...} or
            {"kind": "answered"} (a hang is the caller's to time)
"""
import importlib.util
import json
import sys
import threading


def load(path):
    spec = importlib.util.spec_from_file_location("under_test", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main():
    mod = load(sys.argv[1])
    mode, target = sys.argv[2], sys.argv[3]
    if mode == "call":
        try:
            mod.fetch_rates(target, "EUR")
            print(json.dumps({"kind": "answered"}), flush=True)
        except Exception as exc:  # the verdict is the exception's type, reported to the caller
            print(json.dumps({"kind": "failed", "error": f"{type(exc).__name__}: {exc}"[:200]}), flush=True)
        return
    import psycopg2

    lock = threading.Lock()
    if mode == "claim":
        claims = {}

        def worker():
            conn = psycopg2.connect(target)
            try:
                while True:
                    job = mod.claim_next_job(conn)
                    if job is None:
                        return
                    with lock:
                        claims[job[0]] = claims.get(job[0], 0) + 1
            finally:
                conn.close()

        threads = [threading.Thread(target=worker) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        print(json.dumps(claims), flush=True)
        return
    counts = {"ok": 0, "refused": 0}
    conns = [psycopg2.connect(target) for _ in range(50)]
    start = threading.Barrier(50)

    def withdraw(conn):
        start.wait()
        try:
            mod.withdraw(conn, 1, 10)
            key = "ok"
        except Exception:
            conn.rollback()
            key = "refused"
        with lock:
            counts[key] += 1

    threads = [threading.Thread(target=withdraw, args=(c,)) for c in conns]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for c in conns:
        c.close()
    print(json.dumps(counts), flush=True)


main()
