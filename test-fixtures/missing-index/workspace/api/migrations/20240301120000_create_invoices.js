exports.up = (knex) =>
  knex.schema.createTable('invoices', (table) => {
    table.increments('id');
    table.string('number').notNullable().unique();
    table.string('customer_ref').notNullable();
    table.integer('amount_cents').notNullable();
    table.timestamp('issued_at').index();
  });

exports.down = (knex) => knex.schema.dropTable('invoices');
