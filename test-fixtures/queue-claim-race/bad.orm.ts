import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();

export async function nextExport() {
  const job = await prisma.exportJob.findFirst({ where: { status: 'queued' }, orderBy: { createdAt: 'asc' } }); // expect: queue-claim-race
  if (!job) return null;
  await prisma.exportJob.update({ where: { id: job.id }, data: { status: 'running' } });
  return job;
}
