// Account deletion: deletes the user row and nothing that references it.
exports.deleteAccount = async (pool, userId) => {
  await pool.query('DELETE FROM users WHERE id = $1', [userId]);
};
