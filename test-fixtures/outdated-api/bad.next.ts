import { cookies, headers } from 'next/headers';

export async function GET() {
  const theme = cookies().get('theme')?.value ?? 'light'; // expect: outdated-api
  const agent = (await headers()).get('user-agent');
  return Response.json({ theme, agent });
}
