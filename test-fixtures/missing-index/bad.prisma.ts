import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();

export async function openTickets() {
  return prisma.ticket.findMany({ where: { state: 'open' }, take: 20 }); // expect: missing-index
}

export async function productsIn(category: string) {
  return prisma.product.findMany({ where: { category }, orderBy: { name: 'asc' } }); // expect: missing-index
}
