export function rememberPreferences(theme: string, cartId: string, nextPageToken: string) {
  localStorage.setItem('theme', theme);
  localStorage.setItem('cartId', cartId);
  sessionStorage.setItem('nextPageToken', nextPageToken);
  localStorage.setItem('csrfToken', readMeta('csrf-token'));
}
