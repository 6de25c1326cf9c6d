import type { Request, Response } from 'express';

export async function signIn(request: Request, response: Response) {
  const account = await accounts.verifyCredentials(request.body.username, request.body.password);
  if (!account) {
    response.status(401).json({ error: 'invalid credentials' });
    return;
  }
  request.session.accountId = account.id; // expect: session-fixation
  response.json({ id: account.id });
}
