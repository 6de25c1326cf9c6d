import type { Request, Response } from 'express';
import { request as undiciRequest } from 'undici';

// A link-preview controller registered elsewhere; undici's request under another name.
export async function linkPreview(req: Request, res: Response) {
  const target = String(req.body.target);
  const { body } = await undiciRequest(target, { headersTimeout: 5000 }); // expect: ssrf
  res.send(await body.text());
}
