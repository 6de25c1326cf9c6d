import Fastify from 'fastify';
import fastifyJwt from '@fastify/jwt';
import fastifyCookie from '@fastify/cookie';
import GitHub from 'next-auth/providers/github';

// Reads a required environment variable and throws when it is unset, so the app never runs without it.
function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Missing environment variable ${name}`);
  return value;
}

export const app = Fastify({ logger: true });

app.register(fastifyJwt, { secret: requireEnv('JWT_SECRET_2') }); // expect: hardcoded-secret
app.register(fastifyCookie, { secret: requireEnv('COOKIE_SECRET') }); // expect: hardcoded-secret

export const authOptions = {
  secret: requireEnv('NEXTAUTH_SECRET'), // expect: hardcoded-secret
  providers: [
    GitHub({
      clientId: 'Iv1.8a61f9b3a7aba766',
      clientSecret: requireEnv('GITHUB_CLIENT_SECRET'), // expect: hardcoded-secret
    }),
  ],
};
