// Orders waiting for fulfilment: the query filters on status, which no index of the schema covers.
exports.pendingOrders = async (pool) => {
  const { rows } = await pool.query('SELECT id, customer_id, total_cents FROM orders WHERE status = $1', ['pending']);
  return rows;
};
