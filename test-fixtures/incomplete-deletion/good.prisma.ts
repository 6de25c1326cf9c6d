import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();

// Posts deleted with the account in one transaction; likes cascade.
export async function closeAccount(accountId: number) {
  await prisma.$transaction([
    prisma.post.deleteMany({ where: { authorId: accountId } }),
    prisma.account.delete({ where: { id: accountId } }),
  ]);
}

export async function unlike(id: number) {
  await prisma.like.delete({ where: { id } });
}
