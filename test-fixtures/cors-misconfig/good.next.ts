import { NextRequest, NextResponse } from 'next/server';

const ALLOWED = ['https://app.example.com'];

// A public endpoint for any origin, and a credentialed one for the listed front end only.
export async function GET() {
  return NextResponse.json({ ok: true }, { headers: { 'Access-Control-Allow-Origin': '*' } });
}

export async function OPTIONS(request: NextRequest) {
  const origin = request.headers.get('origin') ?? '';
  const allowed = ALLOWED.includes(origin) ? origin : ALLOWED[0];
  return new NextResponse(null, { status: 204, headers: { 'Access-Control-Allow-Origin': allowed, 'Access-Control-Allow-Credentials': 'true' } });
}
