// A dedicated single-replica Deployment runs this scheduler; the four web replicas run server.js.
const cron = require('node-cron');
const { rebuildSitemap } = require('./sitemap');

cron.schedule('0 * * * *', () => rebuildSitemap());
