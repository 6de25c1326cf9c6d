// Pushes every contact row to the CRM: one PUT per row, all started at once.
async function syncContacts(pool, crmUrl) {
  const { rows } = await pool.query('SELECT id, email FROM contacts ORDER BY id');
  return Promise.all(rows.map(async (contact) => {
    const res = await fetch(`${crmUrl}/contacts/${contact.id}`, { method: 'PUT', body: JSON.stringify(contact) });
    return res.status;
  }));
}

module.exports = { syncContacts };
