// A service call, as assistants write it: fetch a partner API with no timeout.
async function fetchRates(baseUrl, currency) {
  const res = await fetch(`${baseUrl}/rates/${encodeURIComponent(currency)}`);
  return res.json();
}

module.exports = { fetchRates };
