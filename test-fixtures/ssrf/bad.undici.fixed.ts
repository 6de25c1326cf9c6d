import type { Request, Response } from 'express';
import { request as undiciRequest } from 'undici';

// The hosts this server may fetch on a caller's behalf, e.g. 'images.example.com'.
const ALLOWED_FETCH_HOSTS = new Set<string>([]);

// A link-preview controller registered elsewhere; undici's request under another name.
export async function linkPreview(req: Request, res: Response) {
  const target = String(req.body.target);
  if (!ALLOWED_FETCH_HOSTS.has(new URL(target).hostname)) {
    return res.status(400).json({ error: 'URL host is not allowed' });
  }
  const { body } = await undiciRequest(target, { headersTimeout: 5000 }); // expect: ssrf
  res.send(await body.text());
}
