/**
 * scripts/serve.mjs, the server of `npm start` and of the end-to-end tests, run as they run it: a
 * child process, here on a free loopback port over a folder made for the test. Request paths are
 * sent raw (node:http), as an attacker would, since fetch() would tidy some of them up first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SERVE = fileURLToPath(new URL('../../../scripts/serve.mjs', import.meta.url));
const POLICY = "default-src 'self'; script-src 'self' 'sha256-AbC+/='; connect-src 'self'";
const PAGE = `<!doctype html><html><head><meta http-equiv="content-security-policy" content="${POLICY}"></head><body>app</body></html>`;

let dir: string;
let server: ChildProcess;
let port: number;

interface Answer {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: string;
}

/** GET (or `method`) `path` exactly as written, without any normalization of the request line. */
function get(path: string, method = 'GET'): Promise<Answer> {
	return new Promise((resolve, reject) => {
		const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
			let body = '';
			res.setEncoding('utf8');
			res.on('data', (chunk: string) => (body += chunk));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
		});
		req.on('error', reject);
		req.end();
	});
}

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'casetrail-serve-'));
	// "build" and a sibling whose name starts with "build": a prefix test lets one reach the other.
	mkdirSync(join(dir, 'build', '_app', 'immutable'), { recursive: true });
	mkdirSync(join(dir, 'build-secret'));
	writeFileSync(join(dir, 'build', 'index.html'), PAGE);
	writeFileSync(join(dir, 'build', 'app.js'), 'export {};');
	writeFileSync(join(dir, 'build', '_app', 'immutable', 'chunk.js'), 'export {};');
	writeFileSync(join(dir, 'build', '..dotted.txt'), 'a file whose name starts with two dots');
	writeFileSync(join(dir, 'build-secret', 'x.txt'), 'SECRET');
	writeFileSync(join(dir, 'secret.txt'), 'SECRET');
	server = spawn(process.execPath, [SERVE, '--dir', join(dir, 'build'), '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
	const [chunk] = (await once(server.stdout!, 'data')) as [Buffer];
	const match = /http:\/\/localhost:(\d+)\//.exec(chunk.toString());
	if (!match) throw new Error(`serve.mjs did not say where it serves: ${chunk.toString()}`);
	port = Number(match[1]);
	expect(port).toBeGreaterThan(0);
});

afterAll(() => {
	server?.kill();
	rmSync(dir, { recursive: true, force: true });
});

describe('serve.mjs', () => {
	it('serves the files of its folder, and the fallback page for a path that is not a file', async () => {
		expect(await get('/app.js')).toMatchObject({ status: 200, body: 'export {};' });
		expect(await get('/..dotted.txt')).toMatchObject({ status: 200, body: 'a file whose name starts with two dots' });
		expect(await get('/entities/018f6b1e')).toMatchObject({ status: 200, body: PAGE });
		expect((await get('/missing.js')).status).toBe(404);
	});

	describe('when the path climbs out of the folder (issue 13)', () => {
		const climbs = [
			'/..%2fbuild-secret/x.txt',
			'/..%2Fbuild-secret%2Fx.txt',
			'/%2e%2e%2fbuild-secret/x.txt',
			'/..%2f..%2f' + 'build-secret/x.txt',
			'/..%2fsecret.txt',
			'/_app/..%2f..%2f..%2fsecret.txt'
		];
		for (const path of climbs) {
			it(`refuses ${path} with 403 and never serves the file`, async () => {
				const answer = await get(path);
				expect(answer.body).not.toContain('SECRET');
				expect(answer.status).toBe(403);
			});
		}

		it('resolves a literal /../ as a URL does, inside the folder: 404, never the sibling file', async () => {
			const answer = await get('/../build-secret/x.txt');
			expect(answer.body).not.toContain('SECRET');
			expect(answer.status).toBe(404);
		});
	});

	describe('when the path is not valid percent-encoded UTF-8 (issue 13)', () => {
		for (const path of ['/%E0%A4%A', '/%', '/%ZZ', '/%C0%AF', '/app%FF.js']) {
			it(`answers ${path} with 400 and keeps serving`, async () => {
				expect((await get(path)).status).toBe(400);
				expect(server.exitCode).toBeNull();
				expect(await get('/app.js')).toMatchObject({ status: 200 });
			});
		}

		it('answers a path with an encoded NUL with 400', async () => {
			expect((await get('/app.js%00.html')).status).toBe(400);
			expect(await get('/app.js')).toMatchObject({ status: 200 });
		});
	});

	describe('Content-Security-Policy (issue 13)', () => {
		it("sends the page's own policy, plus frame-ancestors 'none', with the page", async () => {
			for (const path of ['/', '/index.html', '/entities/018f6b1e']) {
				expect((await get(path)).headers['content-security-policy']).toBe(`${POLICY}; frame-ancestors 'none'`);
			}
		});

		it('sends the same policy with scripts, which is the policy a worker runs under', async () => {
			for (const path of ['/app.js', '/_app/immutable/chunk.js']) {
				const answer = await get(path);
				expect(answer.headers['content-security-policy']).toBe(`${POLICY}; frame-ancestors 'none'`);
				expect(answer.headers['x-content-type-options']).toBe('nosniff');
			}
		});
	});
});
