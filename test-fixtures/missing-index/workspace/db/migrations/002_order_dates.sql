-- Reports read orders by day.
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_placed_at_idx ON orders (placed_at, status);
