CREATE TABLE users (
  id serial PRIMARY KEY,
  email text NOT NULL UNIQUE
);

CREATE TABLE orders (
  id serial PRIMARY KEY,
  customer_id integer,
  status text NOT NULL,
  total_cents integer NOT NULL
);

CREATE TABLE purchases (
  id serial PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users (id),
  total_cents integer NOT NULL
);
CREATE INDEX purchases_user_id_idx ON purchases (user_id);

CREATE TABLE purchase_items (
  id serial PRIMARY KEY,
  purchase_id integer NOT NULL REFERENCES purchases (id),
  sku text NOT NULL
);
CREATE INDEX purchase_items_purchase_id_idx ON purchase_items (purchase_id);

CREATE TABLE sessions (
  id serial PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
