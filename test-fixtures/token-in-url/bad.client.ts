// The single-page-app half of the incident: the token arrives in the URL and is kept.
export function captureTokenFromHash(): void {
  const params = new URLSearchParams(window.location.hash.slice(1));
  const accessToken = params.get('access_token'); // expect: token-in-url
  if (accessToken) {
    localStorage.setItem('accessToken', accessToken);
    history.replaceState(null, '', window.location.pathname);
  }
}

export function captureFromQuery(): void {
  const jwt = new URL(window.location.href).searchParams.get('jwt'); // expect: token-in-url
  if (jwt) sessionStorage.setItem('session', jwt);
}

export function legacyCapture(): void {
  const token = window.location.hash.split('=')[1]; // expect: token-in-url
  localStorage.token = token;
}

export function sendToApp(token: string): void {
  window.location.href = `/app#token=${token}`; // expect: token-in-url
}

export function handOver(accessToken: string): void {
  window.location.hash = `access_token=${accessToken}`; // expect: token-in-url
}
