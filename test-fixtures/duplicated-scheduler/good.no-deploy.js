// No deployment config in the workspace: nothing says this runs more than once.
const cron = require('node-cron');
const { sendInvoices } = require('./invoices');

cron.schedule('0 9 * * *', async () => {
  await sendInvoices();
});
