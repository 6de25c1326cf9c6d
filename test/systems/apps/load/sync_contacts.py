import asyncio
import json
import sqlite3
import sys


async def put_contact(host, port, contact_id):
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(f"PUT /contacts/{contact_id} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    status = int((await reader.readline()).split()[1])
    writer.close()
    return status


async def sync_contacts(db_path, host, port):
    conn = sqlite3.connect(db_path)
    rows = conn.execute("SELECT id FROM contacts ORDER BY id").fetchall()
    return await asyncio.gather(*[put_contact(host, port, row[0]) for row in rows])


if __name__ == "__main__":
    print(json.dumps(asyncio.run(sync_contacts(sys.argv[1], sys.argv[2], int(sys.argv[3])))))
