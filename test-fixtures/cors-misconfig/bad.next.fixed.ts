import { NextRequest, NextResponse } from 'next/server';

// The origins allowed to call this API with credentials, comma-separated (https://app.example.com,...).
const CORS_ALLOWED_ORIGINS = (process.env.CORS_ALLOWED_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean);

export function middleware(request: NextRequest) {
  const origin = request.headers.get('origin') ?? '';
  const response = NextResponse.next({
    headers: {
      'Access-Control-Allow-Origin': origin, // expect: cors-misconfig
      'Access-Control-Allow-Credentials': 'true',
    },
  });
  return response;
}

export async function OPTIONS(request: NextRequest) {
  const res = new NextResponse(null, { status: 204 });
  if (CORS_ALLOWED_ORIGINS.includes(request.headers.get('origin') ?? '*')) res.headers.set('Access-Control-Allow-Origin', request.headers.get('origin') ?? '*'); // expect: cors-misconfig
  return res;
}
