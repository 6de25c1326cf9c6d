import { NextRequest } from 'next/server';

// The hosts this server may fetch on a caller's behalf, e.g. 'images.example.com'.
const ALLOWED_FETCH_HOSTS = new Set<string>([]);

export async function GET(request: NextRequest) {
  const src = request.nextUrl.searchParams.get('src');
  if (!src) return new Response('missing src', { status: 400 });
  if (!ALLOWED_FETCH_HOSTS.has(new URL(src).hostname)) {
    return Response.json({ error: 'URL host is not allowed' }, { status: 400 });
  }
  const image = await fetch(src, { signal: AbortSignal.timeout(8000) }); // expect: ssrf
  return new Response(image.body, { headers: { 'content-type': image.headers.get('content-type') ?? 'image/png' } });
}
