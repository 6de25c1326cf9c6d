import { NextRequest } from 'next/server';

export async function GET(request: NextRequest) {
  const src = request.nextUrl.searchParams.get('src');
  if (!src) return new Response('missing src', { status: 400 });
  const image = await fetch(src, { signal: AbortSignal.timeout(8000) }); // expect: ssrf
  return new Response(image.body, { headers: { 'content-type': image.headers.get('content-type') ?? 'image/png' } });
}
