import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();

export async function reserveSeats(eventId: string, seats: number) {
  const event = await prisma.event.findUnique({ where: { id: eventId } });
  if (!event || event.availableSeats < seats) throw new Error('sold out');
  return prisma.event.update({ where: { id: eventId }, data: { availableSeats: event.availableSeats - seats } }); // expect: lost-update
}
