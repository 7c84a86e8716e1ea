/**
 * Brings a database to the registry's current schema: applies, in order and each once, the SQL
 * files in registry/migrations. Everything runs in one transaction under an advisory lock, so two
 * ingests starting on a new database at once do not both create the schema.
 */
import type { Database } from './db';
import m001 from './migrations/001_registry.sql?raw';

/** Migrations in the order they apply. Append only; a file that has run is never edited. */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [{ version: 1, name: '001_registry', sql: m001 }];

/** An arbitrary constant: the advisory lock key that serializes migrations of one database. */
const MIGRATION_LOCK = 7_301_518;

/** Applies the migrations `db` lacks; returns the names of those it applied. */
export async function migrate(db: Database): Promise<string[]> {
	return db.transaction(async (tx) => {
		await tx.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
		await tx.exec(`CREATE SCHEMA IF NOT EXISTS casetrail;
			CREATE TABLE IF NOT EXISTS casetrail.schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
		const done = new Set((await tx.query<{ version: number }>('SELECT version FROM casetrail.schema_migrations')).map((r) => Number(r.version)));
		const applied: string[] = [];
		for (const m of MIGRATIONS) {
			if (done.has(m.version)) continue;
			await tx.exec(m.sql);
			await tx.query('INSERT INTO casetrail.schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
			applied.push(m.name);
		}
		return applied;
	});
}
