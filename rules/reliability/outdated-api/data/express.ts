// Express 5 removed the 4.x signatures deprecated since 4.x: req.param(), res.send(status), app.del().
import type { ApiChange } from './types';

const GUIDE = 'https://expressjs.com/en/guide/migrating-5.html';

export const express: ApiChange[] = [
  { api: 'req.param()', lang: 'js', library: 'express', ecosystem: 'npm', versions: '>=5.0.0', status: 'removed', shape: { kind: 'express-handler', object: 'req', method: 'param' }, replacement: '`req.params`, `req.body` or `req.query`, whichever holds the value', guide: `${GUIDE}#req.param` },
  { api: 'res.send(status)', lang: 'js', library: 'express', ecosystem: 'npm', versions: '>=5.0.0', status: 'removed', shape: { kind: 'express-handler', object: 'res', method: 'send', numericFirstArg: true }, replacement: '`res.sendStatus(status)` or `res.status(status).send(body)`', guide: `${GUIDE}#res.send.status` },
  { api: 'app.del()', lang: 'js', library: 'express', ecosystem: 'npm', versions: '>=5.0.0', status: 'removed', shape: { kind: 'method-of', module: 'express', factory: 'express', method: 'del' }, replacement: '`app.delete()`', guide: `${GUIDE}#app.del`, fix: { kind: 'rename-method', to: 'delete' } },
];
