-- Index for the query on customers.region in bad.pg.js.
-- CONCURRENTLY builds it without blocking writes; it cannot run inside a transaction.
CREATE INDEX CONCURRENTLY IF NOT EXISTS customers_region_idx ON customers (region);
