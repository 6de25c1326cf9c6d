// No lockfile: unknown versions. Current APIs and look-alikes of the removed ones.
import { cookies } from 'next/headers';
import crypto from 'crypto';
import OpenAI from 'openai';

const client = new OpenAI();
const items = [{ id: 1 }];

export async function GET(req: Request) {
  const theme = (await cookies()).get('theme');
  const iv = crypto.randomBytes(16);
  const cipher = crypto.createCipheriv('aes-256-gcm', crypto.randomBytes(32), iv);
  const found = items.find((err) => err.id === 1);
  return Response.json({ theme, found, cipher: !!cipher, model: await client.models.list() });
}
