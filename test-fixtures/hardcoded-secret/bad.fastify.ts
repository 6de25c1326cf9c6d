import Fastify from 'fastify';
import fastifyJwt from '@fastify/jwt';
import fastifyCookie from '@fastify/cookie';
import GitHub from 'next-auth/providers/github';

export const app = Fastify({ logger: true });

app.register(fastifyJwt, { secret: 'fastify-jwt-s3cret' }); // expect: hardcoded-secret
app.register(fastifyCookie, { secret: 'c00kie-s1gn-k3y' }); // expect: hardcoded-secret

export const authOptions = {
  secret: 'nextauth-s3cr3t-v1', // expect: hardcoded-secret
  providers: [
    GitHub({
      clientId: 'Iv1.8a61f9b3a7aba766',
      clientSecret: '0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c', // expect: hardcoded-secret
    }),
  ],
};
