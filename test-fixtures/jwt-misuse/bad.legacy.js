const { JWT } = require('jose');

exports.authenticate = function authenticate(req, res, next) {
  const claims = JWT.decode(req.get('x-auth-token')); // expect: jwt-misuse
  req.userId = claims.sub;
  next();
};

exports.issue = function issue(userId, key) {
  return JWT.sign({ sub: userId }, key, { header: { typ: 'JWT' } }); // expect: jwt-misuse
};

exports.check = function check(token, key) {
  return JWT.verify(token, key, { algorithms: ['RS256'] });
};
