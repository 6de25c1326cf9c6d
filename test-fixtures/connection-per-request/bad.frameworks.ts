import { Controller, Get, Param } from '@nestjs/common';
import { Sequelize, QueryTypes } from 'sequelize';
import Fastify from 'fastify';
import { createClient } from 'redis';
import postgres from 'postgres';

@Controller('invoices')
export class InvoicesController {
  @Get(':id')
  async findOne(@Param('id') id: string) {
    const sequelize = new Sequelize(process.env.DATABASE_URL!, { logging: false }); // expect: connection-per-request
    const [invoice] = await sequelize.query('SELECT id, amount FROM invoices WHERE id = :id', { replacements: { id }, type: QueryTypes.SELECT });
    await sequelize.close();
    return invoice;
  }
}

const fastify = Fastify();

// node-redis clients must be connected once: reported, not auto-fixed.
fastify.get('/sessions/:id', async (request: { params: { id: string } }) => {
  const redis = createClient({ url: process.env.REDIS_URL }); // expect: connection-per-request
  await redis.connect();
  const session = await redis.get(`session:${request.params.id}`);
  await redis.quit();
  return { session };
});

// A Remix loader runs on every request.
export async function loader({ params }: { params: { slug: string } }) {
  const sql = postgres(process.env.DATABASE_URL!); // expect: connection-per-request
  const [post] = await sql`SELECT id, title FROM posts WHERE slug = ${params.slug}`;
  await sql.end();
  return post;
}
