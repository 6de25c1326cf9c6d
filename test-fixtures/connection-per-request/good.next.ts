import { PrismaClient } from '@prisma/client';
import { Pool as NeonPool } from '@neondatabase/serverless';
import { Client } from 'pg';

// The Next.js pattern: one client per server process, kept across hot reloads in development.
const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };
export const prisma = globalForPrisma.prisma ?? new PrismaClient();
if (process.env.NODE_ENV !== 'production') globalForPrisma.prisma = prisma;

export async function GET() {
  const orders = await prisma.order.findMany({ where: { status: 'open' }, take: 50 });
  return Response.json(orders);
}

// Neon's serverless driver on the edge: a pool per request, closed at its end, is the documented pattern.
export async function POST(request: Request) {
  const pool = new NeonPool({ connectionString: process.env.DATABASE_URL });
  const { sku } = await request.json();
  const { rows } = await pool.query('SELECT id, stock FROM products WHERE sku = $1', [sku]);
  await pool.end();
  return Response.json(rows);
}

// Cloudflare Workers cannot share connections across requests; Hyperdrive pools them instead.
export default {
  async fetch(request: Request, env: { HYPERDRIVE: { connectionString: string } }) {
    const client = new Client({ connectionString: env.HYPERDRIVE.connectionString });
    await client.connect();
    const { rows } = await client.query('SELECT id, name FROM products WHERE id = $1', [new URL(request.url).searchParams.get('id')]);
    return Response.json(rows);
  },
};
