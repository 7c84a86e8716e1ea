/**
 * The two databases every registry test runs on: embedded PGlite (in memory) and a PostgreSQL
 * server (tests/postgres.ts). The server suite is skipped, saying why, only where no server can be
 * started; under CI it must run, so there the missing server fails the tests instead.
 */
import { openDatabase, type Database } from '../../../registry/db';
import { migrate } from '../../../registry/migrate';
import { startTestServer, whyNoServer, type TestServer } from '../../postgres';

export interface Backend {
	name: 'PGlite' | 'PostgreSQL server';
	/** Why the suite is skipped, or undefined. */
	skip: string | undefined;
	/** A fresh, migrated, empty registry, and its URL (a server's, for other processes). */
	open(): Promise<{ db: Database; target: string }>;
	/** Ends what open() started. */
	cleanup(): Promise<void>;
}

function serverSkip(): string | undefined {
	const why = whyNoServer();
	if (why && process.env.CI) throw new Error(`The PostgreSQL server tests must run in CI, but ${why}.`);
	if (why) console.warn(`Skipping the registry's PostgreSQL server tests: ${why}.`);
	return why;
}

export function backends(): Backend[] {
	const servers: TestServer[] = [];
	const dbs: Database[] = [];
	const track = async (target: string) => {
		const db = await openDatabase(target);
		dbs.push(db);
		await migrate(db);
		return { db, target };
	};
	const cleanup = async () => {
		for (const db of dbs.splice(0)) await db.close().catch(() => undefined);
		for (const s of servers.splice(0)) await s.stop();
	};
	return [
		{ name: 'PGlite', skip: undefined, open: () => track('memory://'), cleanup },
		{
			name: 'PostgreSQL server',
			skip: serverSkip(),
			open: async () => {
				const server = await startTestServer();
				servers.push(server);
				return track(server.url);
			},
			cleanup
		}
	];
}
