// A page-relative URL only resolves in a browser.
export async function loadCart() {
  const res = await fetch('/api/cart', { credentials: 'include' });
  return res.json();
}

export async function loadItem(id) {
  const res = await fetch(`/api/items/${id}`);
  return res.json();
}
