import { NextRequest, NextResponse } from 'next/server';

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
  res.headers.set('Access-Control-Allow-Origin', request.headers.get('origin') ?? '*'); // expect: cors-misconfig
  return res;
}
