'use server';
import { redirect } from 'next/navigation';
import { createSessionToken } from '@/lib/auth';

export async function finishSignIn(formData: FormData) {
  const sessionToken = await createSessionToken(String(formData.get('email')));
  redirect(`/welcome?session_token=${sessionToken}&first=1`); // expect: token-in-url
}
