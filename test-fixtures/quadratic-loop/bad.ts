interface Row { email: string; sku: string; id: number }

// The incident: dedupe by scanning everything seen so far.
export function uniqueEmails(rows: Row[]): number {
  const seen: string[] = [];
  for (const row of rows) {
    if (!seen.includes(row.email)) seen.push(row.email); // expect: quadratic-loop
  }
  return seen.length;
}

// A list mapped from the same rows, searched once per row.
export function referenced(rows: Row[]): Row[] {
  const skus = rows.map((r) => r.sku.slice(1));
  const out: Row[] = [];
  for (const r of rows) {
    if (skus.includes(r.sku)) out.push(r); // expect: quadratic-loop
  }
  return out;
}

// Duplicates via indexOf inside filter over the same array.
export function duplicates(ids: number[]): number[] {
  return ids.filter((id, i) => ids.indexOf(id) !== i); // expect: quadratic-loop
}

// A nested loop over the same collection.
export function pairs(rows: Row[]): number {
  let n = 0;
  for (const a of rows) {
    for (const b of rows) { // expect: quadratic-loop
      if (a.id < b.id && a.email === b.email) n++;
    }
  }
  return n;
}
