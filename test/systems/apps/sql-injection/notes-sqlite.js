// A notes API on better-sqlite3, written the way an assistant often writes it: SQL built with
// template literals and string concatenation from the request.
const express = require('express');
const Database = require('better-sqlite3');

const db = new Database(process.env.NOTES_DB || 'notes.db');
const app = express();

// GET /notes/42: one note of the signed-in owner.
app.get('/notes/:id', (req, res) => {
  const owner = req.get('x-user') || 'alice';
  const note = db.prepare(`SELECT id, title, body FROM notes WHERE id = '${req.params.id}' AND owner = '${owner}'`).get();
  if (!note) return res.status(404).json({ error: 'Note not found' });
  res.json(note);
});

// GET /users/alice/notes: the titles of someone's shared notes.
app.get('/users/:name/notes', (req, res) => {
  const rows = db.prepare(`SELECT id, title FROM notes WHERE owner = '${req.params.name}' AND shared = 1 ORDER BY id`).all();
  res.json(rows);
});

// GET /search?q=milk: shared notes whose title contains q.
app.get('/search', (req, res) => {
  const q = req.query.q || '';
  const sql = "SELECT id, title FROM notes WHERE shared = 1 AND title LIKE '%" + q + "%' ORDER BY id";
  res.json(db.prepare(sql).all());
});

module.exports = { app, db };
