/**
 * One way to talk to either database the registry runs on: PGlite (PostgreSQL compiled to
 * WebAssembly, in a folder, so a supervisor installs nothing) or a PostgreSQL server through the
 * `postgres` driver. Both run the same SQL: parameters are passed as text or JSON and cast in SQL
 * (`$1::text::jsonb`, `decode($2, 'hex')`), so no driver-specific type mapping decides a value.
 *
 * The drivers are imported when a registry is opened, so `casetrail verify` and `show` never load
 * them.
 */
import { mkdir } from 'node:fs/promises';

export type Row = Record<string, unknown>;

/** Queries inside one transaction, or outside any. */
export interface Sql {
	query<T extends Row = Row>(text: string, params?: readonly (string | number | null)[]): Promise<T[]>;
	/** Several statements separated by semicolons, no parameters (migrations). */
	exec(text: string): Promise<void>;
}

export interface Database extends Sql {
	readonly kind: 'embedded' | 'server';
	/** Where it is: the folder, or the server URL without its password. */
	readonly location: string;
	/** Runs `work` in one transaction: committed when it returns, rolled back when it throws. */
	transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
	close(): Promise<void>;
}

/** The folder the embedded database uses when neither --db nor DATABASE_URL names one. */
export const DEFAULT_EMBEDDED_FOLDER = './casetrail-db';

export function isServerUrl(target: string): boolean {
	return /^postgres(ql)?:\/\//i.test(target);
}

/**
 * Opens `target`: a postgres:// or postgresql:// URL is a server; anything else is the folder of
 * an embedded database, created when missing.
 */
export async function openDatabase(target: string): Promise<Database> {
	return isServerUrl(target) ? openServer(target) : openEmbedded(target);
}

async function openEmbedded(folder: string): Promise<Database> {
	// PGlite's memory:// keeps nothing on disk (tests); any other target is a folder.
	if (!folder.startsWith('memory://')) await mkdir(folder, { recursive: true });
	const { PGlite } = await import('@electric-sql/pglite');
	const db = await PGlite.create(folder);
	type Queryable = Pick<typeof db, 'query' | 'exec'>;
	const wrap = (q: Queryable): Sql => ({
		query: async <T extends Row>(text: string, params: readonly (string | number | null)[] = []) => (await q.query<T>(text, [...params])).rows,
		exec: async (text: string) => void (await q.exec(text))
	});
	return {
		kind: 'embedded',
		location: folder,
		...wrap(db),
		transaction: (work) => db.transaction((tx) => work(wrap(tx))),
		close: () => db.close()
	};
}

async function openServer(url: string): Promise<Database> {
	const { default: postgres } = await import('postgres');
	// int8 and numeric come back as text from this driver; callers convert with Number() where a
	// count is meant. Notices (e.g. "schema already exists") are not for a person running ingest.
	const sql = postgres(url, { max: 1, onnotice: () => {}, connection: { application_name: 'casetrail' } });
	type Unsafe = Pick<typeof sql, 'unsafe'>;
	const wrap = (q: Unsafe): Sql => ({
		query: async <T extends Row>(text: string, params: readonly (string | number | null)[] = []) => (await q.unsafe(text, [...params])) as unknown as T[],
		exec: async (text: string) => void (await q.unsafe(text).simple())
	});
	const redacted = url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
	return {
		kind: 'server',
		location: redacted,
		...wrap(sql),
		transaction: async (work) => (await sql.begin((tx) => work(wrap(tx)))) as Awaited<ReturnType<typeof work>>,
		close: () => sql.end({ timeout: 5 })
	};
}
