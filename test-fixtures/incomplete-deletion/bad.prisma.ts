import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();

export async function closeAccount(accountId: number) {
  await prisma.account.delete({ where: { id: accountId } }); // expect: incomplete-deletion
}
