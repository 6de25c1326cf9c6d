-- Index for the query on orders.status in bad.pg.js.
-- CONCURRENTLY builds it without blocking writes; it cannot run inside a transaction.
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_idx ON orders (status);
