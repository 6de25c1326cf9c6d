// Login form, validation schema and API docs: the strings that look like credentials are labels, types and examples.
import { useState } from 'react';
import { z } from 'zod';

const schema = z.object({ email: z.string().email(), password: z.string().min(8, 'Password must be at least 8 characters') });
const swagger = { properties: { email: 'string', password: 'string' } };
const openapi = { example: { email: 'ada@example.com', password: 's3cret-Pass!' } };
export const EXAMPLE_LOGIN = { email: 'ada@example.com', password: 'hunter22' };
const tokenExpiry = '1h';
const TOKEN_TTL = '15m';
const grant = { grant_type: 'password', client_id: 'web' };
const SESSION_COOKIE = 'sid';
const API_KEY = import.meta.env.VITE_API_KEY;

export function LoginForm() {
  const [password, setPassword] = useState('');
  const [token, setToken] = useState<string | null>(null);
  return (
    <form>
      <input type="password" name="password" placeholder="Password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
      <label htmlFor="password">Password</label>
      <button disabled={!token}>Sign in</button>
    </form>
  );
}
