export async function signIn(email: string, password: string) {
  const res = await fetch('/api/signin', { method: 'POST', body: JSON.stringify({ email, password }) });
  const { accessToken } = await res.json();
  localStorage.setItem('accessToken', accessToken); // expect: insecure-token-storage
  window.sessionStorage.authToken = accessToken; // expect: insecure-token-storage
  localStorage.setItem('lastEmail', email);
}
