const express = require('express');
const bodyParser = require('body-parser');
const multer = require('multer');
const fileUpload = require('express-fileupload');
const formidable = require('formidable');
const busboy = require('busboy');

const app = express();
app.use(express.json({ limit: '10mb' })); // expect: unbounded-upload
app.use(bodyParser.urlencoded({ extended: true, limit: 10 * 1024 * 1024 })); // expect: unbounded-upload

const storage = multer.diskStorage({ destination: 'uploads/' });
const upload = multer({ storage, limits: { fileSize: 10 * 1024 * 1024 } }); // expect: unbounded-upload
const scans = multer({ dest: 'scans/', limits: { fileSize: 10 * 1024 * 1024, files: 3 } }); // expect: unbounded-upload

app.post('/avatar', upload.single('avatar'), (req, res) => res.json({ file: req.file.filename }));
app.post('/scans', scans.array('pages'), (req, res) => res.sendStatus(204));

app.use('/legacy', fileUpload({ limits: { fileSize: 10 * 1024 * 1024 }, abortOnLimit: true })); // expect: unbounded-upload

app.post('/import', (req, res, next) => {
  const form = formidable({ uploadDir: '/tmp/imports', maxFileSize: 10 * 1024 * 1024 }); // expect: unbounded-upload
  form.parse(req, (err, fields, files) => (err ? next(err) : res.json({ files: Object.keys(files) })));
});

app.post('/stream', (req, res) => {
  const bb = busboy({ headers: req.headers }); // expect: unbounded-upload
  bb.on('file', (name, file) => file.resume());
  bb.on('close', () => res.sendStatus(204));
  req.pipe(bb);
});

module.exports = app;
