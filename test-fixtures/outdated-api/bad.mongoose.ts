import mongoose from 'mongoose';

const User = mongoose.model('User', new mongoose.Schema({ email: String }));

export function findUser(email: string, done: (err: unknown, user?: unknown) => void) {
  User.findOne({ email }, (err: unknown, user: unknown) => { // expect: outdated-api
    if (err) return done(err);
    done(null, user);
  });
}

export async function countUsers() {
  return User.countDocuments({});
}
