import bcryptjs from 'bcryptjs';
import { prisma } from './prisma';

// A service the login route calls: the caller hands in the password.
export async function verifyCredentials(email: string, password: string) {
  const user = await prisma.user.findUnique({ where: { email } });
  if (user && await bcryptjs.compare(password, user.password)) return user; // expect: plaintext-password
  return null;
}

export async function register(email: string, password: string) {
  return prisma.user.create({ data: { email, password: await bcryptjs.hash(password, 12) } }); // expect: plaintext-password
}

export async function resetTo(userId: string, password: string) {
  const hashed = await bcryptjs.hash(password, 12);
  return prisma.user.update({ where: { id: userId }, data: { password: hashed } });
}
