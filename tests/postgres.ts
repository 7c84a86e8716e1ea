/**
 * A PostgreSQL server for the registry's server tests and the ingest bench: DATABASE_URL when it is
 * set, else a throwaway cluster started on a free loopback port from the installed server binaries
 * (Debian's postgresql package). PostgreSQL refuses to run as root, so as root (CI) the cluster runs
 * as the `postgres` user. Each caller gets a database of its own, dropped when it stops.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';

export interface TestServer {
	/** URL of a fresh database on the server, as its superuser. */
	url: string;
	stop(): Promise<void>;
}

/** Why no server could be had, for the skip message; undefined when one can be. */
export function whyNoServer(): string | undefined {
	if (process.env.DATABASE_URL) return undefined;
	if (serverBin() === undefined) return 'no DATABASE_URL is set and no PostgreSQL server binaries were found (apt-get install postgresql)';
	if (process.getuid?.() === 0 && uidOf('postgres') === undefined) return 'running as root and there is no postgres user to run the server as';
	return undefined;
}

function serverBin(): string | undefined {
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return undefined;
	const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin/initdb'))).sort((a, b) => Number(b) - Number(a));
	return versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
}

function uidOf(user: string): { uid: number; gid: number } | undefined {
	const r = spawnSync('id', ['-u', user], { encoding: 'utf8' });
	const g = spawnSync('id', ['-g', user], { encoding: 'utf8' });
	return r.status === 0 && g.status === 0 ? { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) } : undefined;
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
		});
	});
}

/** Starts (or connects to) a server and creates a database for the caller. */
export async function startTestServer(): Promise<TestServer> {
	const why = whyNoServer();
	if (why) throw new Error(`No PostgreSQL server: ${why}.`);
	let adminUrl = process.env.DATABASE_URL;
	let stopCluster = (): void => {};
	if (!adminUrl) {
		const bin = serverBin() as string;
		const dir = mkdtempSync(join(tmpdir(), 'casetrail-pg-'));
		const asRoot = process.getuid?.() === 0;
		const owner = asRoot ? uidOf('postgres') : undefined;
		if (owner) {
			chownSync(dir, owner.uid, owner.gid);
			chmodSync(dir, 0o700);
		}
		const run = (cmd: string, args: string[]): void => {
			const full = join(bin, cmd);
			if (owner) execFileSync('runuser', ['-u', 'postgres', '--', full, ...args], { stdio: 'pipe' });
			else execFileSync(full, args, { stdio: 'pipe' });
		};
		const data = join(dir, 'data');
		run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale', 'C.UTF-8']);
		const port = await freePort();
		// Loopback only, sockets in the cluster's own folder, no fsync: a throwaway test server.
		run('pg_ctl', ['-D', data, '-w', '-l', join(dir, 'log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`, 'start']);
		adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
		stopCluster = () => {
			run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
			rmSync(dir, { recursive: true, force: true });
		};
	}
	const name = `casetrail_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
	const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
	await admin.unsafe(`CREATE DATABASE ${name}`);
	const url = new URL(adminUrl);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		async stop() {
			await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
			await admin.end({ timeout: 5 });
			stopCluster();
		}
	};
}
