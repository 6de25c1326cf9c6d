// A script whose name says it tests (run by hand against a local server): its credentials are
// throwaway values, and the request loop is the point.
const BASE = 'http://localhost:3000';
const password = 'Passw0rd!-load-test';

export async function hammerLogin(): Promise<number[]> {
  const codes: number[] = [];
  for (let i = 0; i < 20; i++) {
    const res = await fetch(`${BASE}/api/login`, { method: 'POST', body: JSON.stringify({ email: 'qa@example.com', password }) });
    codes.push(res.status);
  }
  return codes;
}
