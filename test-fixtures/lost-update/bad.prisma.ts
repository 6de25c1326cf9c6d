import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();

export async function reserveSeats(eventId: string, seats: number) {
  const event = await prisma.event.findUnique({ where: { id: eventId } });
  if (!event || event.availableSeats < seats) throw new Error('sold out');
  return prisma.event.update({ where: { id: eventId }, data: { availableSeats: event.availableSeats - seats } }); // expect: lost-update
}

// Knex takes no `{ decrement }` object: the finding says what to use instead.
export async function sellStock(knex: any, productId: number, qty: number) {
  const product = await knex('products').where({ id: productId }).first();
  await knex('products').where({ id: productId }).update({ stock: product.stock - qty }); // expect: lost-update
}
