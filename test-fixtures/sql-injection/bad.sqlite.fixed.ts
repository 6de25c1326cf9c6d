import Database from 'better-sqlite3';
import { PrismaClient } from '@prisma/client';

const db = new Database('app.db');
const prisma = new PrismaClient();

export function getNote(req: { params: { id: string } }) {
  return db.prepare(`SELECT * FROM notes WHERE id = ?`).get(req.params.id); // expect: sql-injection
}

export async function searchPosts(term: string) {
  return prisma.$queryRaw`SELECT * FROM "Post" WHERE title LIKE ${`%${term}%`}`; // expect: sql-injection
}

export async function touch(userId: string) {
  return prisma.$executeRaw`UPDATE "User" SET "seenAt" = now() WHERE id = ${userId}`; // expect: sql-injection
}
