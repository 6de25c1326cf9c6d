const bcrypt = require('bcrypt');
const mongoose = require('mongoose');

const accountSchema = new mongoose.Schema({ email: String, password: String });

// The model hashes whatever password it is given before it is saved.
accountSchema.pre('save', async function hashPassword() {
  if (this.isModified('password')) this.password = await bcrypt.hash(this.password, 12);
});

module.exports = mongoose.model('Account', accountSchema);
