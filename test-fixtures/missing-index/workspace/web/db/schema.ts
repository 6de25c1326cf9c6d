import { index, integer, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { sqliteTable } from 'drizzle-orm/sqlite-core';

export const customers = pgTable('billing_customers', {
  id: serial('id').primaryKey(),
  email: text('email').notNull().unique(),
});

export const subscriptions = pgTable(
  'subscriptions',
  {
    id: serial('id').primaryKey(),
    customerId: integer('customer_id').notNull().references(() => customers.id, { onDelete: 'cascade' }),
    plan: text('plan').notNull(),
    renewsAt: timestamp('renews_at').notNull(),
  },
  (t) => [index('subscriptions_customer_idx').on(t.customerId, t.renewsAt)],
);

export const notes = sqliteTable('notes', {
  id: integer({ mode: 'number' })
    .primaryKey({ autoIncrement: true }),
  body: text().notNull(),
});
