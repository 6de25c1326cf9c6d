import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();

// @id, @unique, the leading field of @@index, findUnique, and a text search no B-tree index serves.
export const ticket = (id: number) => prisma.ticket.findFirst({ where: { id } });
export const bySku = (sku: string) => prisma.product.findFirst({ where: { sku } });
export const assigned = (assigneeId: number) => prisma.ticket.findMany({ where: { assigneeId, state: 'open' } });
export const unique = (sku: string) => prisma.product.findUnique({ where: { sku } });
export const search = (q: string) => prisma.product.findMany({ where: { name: { contains: q } } });
// A yes/no column: an index on it alone rarely pays.
export const live = () => prisma.product.findMany({ where: { archived: false }, take: 50 });
// A model only a backup copy of the schema defines (prisma/backups/), and one no schema defines.
export const events = (kind: string) => prisma.event.findMany({ where: { kind } });
