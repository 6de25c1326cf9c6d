const knex = require('knex')({ client: 'pg', connection: process.env.DATABASE_URL });

async function invoicesOf(customerRef) {
  return knex('invoices').where('customer_ref', customerRef).orderBy('issued_at', 'desc'); // expect: missing-index
}

async function invoice(number) {
  return knex('invoices').where({ number }).first();
}

module.exports = { invoicesOf, invoice };
