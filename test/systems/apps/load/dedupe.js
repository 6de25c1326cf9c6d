// The import's dedupe: every e-mail checked against all those seen so far.
function countUniqueEmails(rows) {
  const seen = [];
  for (const row of rows) {
    if (!seen.includes(row.email)) seen.push(row.email);
  }
  return seen.length;
}

// Rows referred by another row of the same import: a search of the whole list per row.
function referredRows(rows) {
  const referrers = rows.map((r) => r.referredBy);
  return rows.filter((r) => referrers.includes(r.email));
}

module.exports = { countUniqueEmails, referredRows };
