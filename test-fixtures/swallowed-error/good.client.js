// Browser code: a failed preference write is the user's own page, not a server's.
export function savePreference(key, value) {
  try {
    window.localStorage.setItem(key, JSON.stringify(value));
  } catch {}
  fetch('/api/prefs', { method: 'POST', body: JSON.stringify({ key, value }) }).catch(() => {});
}
