CREATE TABLE customers (
  id serial PRIMARY KEY,
  email text NOT NULL UNIQUE,
  region text
);

CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  customer_id integer NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  status text NOT NULL,
  placed_at timestamptz NOT NULL DEFAULT now(),
  total_cents integer NOT NULL
);
