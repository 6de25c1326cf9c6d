const express = require('express');
const multer = require('multer');
const formidable = require('formidable');
const fileUpload = require('express-fileupload');
const busboy = require('busboy');

const app = express();
app.use(express.json());
app.use(express.json({ limit: '10mb' }));
app.use(express.urlencoded({ extended: false, limit: '100kb' }));

const MAX_AVATAR = 2 * 1024 * 1024;
const upload = multer({ dest: 'uploads/', limits: { fileSize: MAX_AVATAR } });
const storage = multer.diskStorage({ destination: 'uploads/' });
const memory = multer.memoryStorage();

app.post('/avatar', upload.single('avatar'), (req, res) => res.json({ file: req.file.filename, storage: !!storage, memory: !!memory }));
app.use('/files', fileUpload({ limits: { fileSize: 5 * 1024 * 1024 }, abortOnLimit: true }));

app.post('/import', (req, res) => {
  const form = formidable({ maxFileSize: 10 * 1024 * 1024 });
  form.parse(req, () => res.sendStatus(204));
});

app.post('/stream', (req, res) => {
  const bb = busboy({ headers: req.headers, limits: { fileSize: 1024 * 1024 } });
  bb.on('close', () => res.sendStatus(204));
  req.pipe(bb);
});

module.exports = app;
