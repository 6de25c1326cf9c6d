// Setup and migration code: names come from the operator's environment or from constants written
// here, and a placeholder list is sized by a count. None of it carries text from a request.
import { Pool } from 'pg';
import type { QueryRunner } from 'typeorm';

const pool = new Pool();
const { APP_DB, APP_ROLE, APP_ROLE_PASSWORD } = process.env;

export async function resetDatabase(): Promise<void> {
  const admin = await pool.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${APP_DB}`);
    await admin.query(`CREATE DATABASE ${APP_DB} OWNER ${APP_ROLE}`);
    await admin.query(`CREATE ROLE ${APP_ROLE} WITH LOGIN PASSWORD '${APP_ROLE_PASSWORD}'`);
    await admin.query(`GRANT CONNECT ON DATABASE ${APP_DB} TO ${APP_ROLE}`);
  } finally {
    admin.release();
  }
}

export async function useTenantSchema(schemaFromSettings: string): Promise<void> {
  // Session settings and schema changes are administrative statements run with configured names.
  await pool.query(`SET search_path TO "${schemaFromSettings}"`);
}

export class AddArchivedFlag {
  async up(queryRunner: QueryRunner): Promise<void> {
    const addFlag = async (table: string) => {
      const existing = await queryRunner.query(`SELECT 1 FROM information_schema.columns WHERE table_name = '${table}' AND column_name = 'archived'`);
      if (!existing.length) await queryRunner.query(`UPDATE "${table}" SET "note" = 'migrated'`);
    };
    await addFlag('invoices');
    await addFlag('receipts');
  }
}

const AUDITED = ['invoices', 'receipts', 'refunds'];

export async function rowCounts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of AUDITED) {
    const { rows } = await pool.query(`SELECT count(*) AS n FROM "${table}"`);
    out[table] = Number(rows[0].n);
  }
  return out;
}

function placeholders(count: number): string {
  let list = '(';
  for (let i = 0; i < count; i++) list += '?,';
  return list.slice(0, -1) + ')';
}

export async function markShipped(db: { query(sql: string, params: unknown[]): Promise<unknown> }, ids: string[]): Promise<unknown> {
  await db.query(`UPDATE parcels SET shipped = true WHERE id IN ${placeholders(ids.length)}`, ids);
  return db.query(`SELECT * FROM parcels WHERE id IN (${ids.map(() => '?').join(', ')})`, ids);
}
