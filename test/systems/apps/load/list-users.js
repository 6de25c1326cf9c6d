// The admin list: every user of the table as JSON.
function register(app, pool) {
  app.get('/admin/users', async (req, res) => {
    const { rows } = await pool.query('SELECT id, email FROM users ORDER BY id');
    res.json(rows);
  });
}

module.exports = { register };
