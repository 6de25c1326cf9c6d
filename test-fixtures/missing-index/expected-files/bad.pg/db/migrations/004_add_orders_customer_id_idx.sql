-- Index for the query on orders.customer_id in bad.pg.js.
-- CONCURRENTLY builds it without blocking writes; it cannot run inside a transaction.
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_idx ON orders (customer_id);
