'use server';
import { redirect } from 'next/navigation';
import { createSessionToken } from '@/lib/auth';
import { cookies } from 'next/headers';

export async function finishSignIn(formData: FormData) {
  const sessionToken = await createSessionToken(String(formData.get('email')));
  (await cookies()).set('session_token', sessionToken, { httpOnly: true, secure: true, sameSite: 'lax' });
  redirect('/welcome?first=1'); // expect: token-in-url
}
