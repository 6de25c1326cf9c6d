// A reset-password page reads the one-time token from its link and posts it once; nothing is stored.
export async function submitNewPassword(password: string): Promise<void> {
  const token = new URLSearchParams(window.location.search).get('token');
  await fetch('/api/password/reset', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token, password }),
    signal: AbortSignal.timeout(10_000),
  });
}

// Remembering a referral code or the last visited page is not a credential.
export function rememberReferral(): void {
  const ref = new URLSearchParams(window.location.search).get('ref');
  if (ref) localStorage.setItem('referral', ref);
  sessionStorage.setItem('lastPage', window.location.pathname);
}

export function openSearch(query: string): void {
  window.location.href = `/search?q=${encodeURIComponent(query)}&page=1`;
}

export function backToOrders(orderId: string): void {
  history.pushState({ orderId }, '', `/orders/${orderId}`);
}

// An invitation accepted in the browser: the join page's one-time token, in every navigation spelling.
export function acceptInvite(router: { push(u: string): void; replace(u: string): void }, token: string): void {
  router.push(`/team/join?token=${token}`);
  router.replace(`/invitations/accept?token=${token}`);
  window.location.href = `/team/join?token=${token}`;
  window.location.assign(`/claim-seat?token=${encodeURIComponent(token)}`);
}
