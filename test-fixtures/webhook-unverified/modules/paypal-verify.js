// A helper whose name says it verifies: it only checks that the headers are present.
function verifyPayPalSignature(headers, body) {
  return Boolean(headers['paypal-transmission-id'] && headers['paypal-transmission-sig'] && body);
}

module.exports = { verifyPayPalSignature };
