/**
 * The end-to-end tests run against the build they just made (issue 13): Playwright's
 * reuseExistingServer would run them against whatever already listens on the port, e.g. another
 * checkout's server.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import config from '../../../playwright.config';
import { assertServesBuild } from '../../e2e/global-setup';

const SERVE = fileURLToPath(new URL('../../../scripts/serve.mjs', import.meta.url));

function buildDir(parent: string, name: string, version: string): string {
	const dir = join(parent, name);
	mkdirSync(join(dir, '_app'), { recursive: true });
	writeFileSync(join(dir, 'index.html'), '<!doctype html><title>app</title>');
	writeFileSync(join(dir, '_app', 'version.json'), JSON.stringify({ version }));
	return dir;
}

describe('the end-to-end test server', () => {
	it('is never an existing server found on the port', () => {
		expect(config.webServer).toMatchObject({ reuseExistingServer: false });
		expect(config.globalSetup).toBe('./tests/e2e/global-setup.ts');
	});

	it('is checked before the tests: a server with another build on the port fails the run', async () => {
		const parent = mkdtempSync(join(tmpdir(), 'casetrail-e2e-server-'));
		const ours = buildDir(parent, 'ours', '0.1.0+ours');
		const theirs = buildDir(parent, 'theirs', '0.1.0+theirs');
		const server = spawn(process.execPath, [SERVE, '--dir', theirs, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
		try {
			const [chunk] = (await once(server.stdout!, 'data')) as [Buffer];
			const baseURL = /http:\/\/localhost:\d+\//.exec(chunk.toString())![0];
			await expect(assertServesBuild(baseURL, ours)).rejects.toThrow(/serves build 0\.1\.0\+theirs, but .* holds 0\.1\.0\+ours: another server is on that port/);
			await expect(assertServesBuild(baseURL, theirs)).resolves.toBeUndefined();
		} finally {
			server.kill();
			rmSync(parent, { recursive: true, force: true });
		}
	});
});
