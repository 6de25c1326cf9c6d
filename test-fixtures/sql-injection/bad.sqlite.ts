import Database from 'better-sqlite3';
import { PrismaClient } from '@prisma/client';

const db = new Database('app.db');
const prisma = new PrismaClient();

export function getNote(req: { params: { id: string } }) {
  return db.prepare(`SELECT * FROM notes WHERE id = '${req.params.id}'`).get(); // expect: sql-injection
}

export async function searchPosts(term: string) {
  return prisma.$queryRawUnsafe(`SELECT * FROM "Post" WHERE title LIKE '%${term}%'`); // expect: sql-injection
}

export async function touch(userId: string) {
  return prisma.$executeRawUnsafe(`UPDATE "User" SET "seenAt" = now() WHERE id = '${userId}'`); // expect: sql-injection
}
