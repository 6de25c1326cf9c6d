// The Procfile's clock process runs this file, once: the schedule lives only here.
const cron = require('node-cron');
const { sendInvoices } = require('./invoices');

cron.schedule('0 9 * * *', async () => {
  await sendInvoices();
});
