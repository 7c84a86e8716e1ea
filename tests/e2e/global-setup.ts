// Before any end-to-end test: the server on the test port must be serving the build this run just
// made (build/), not another checkout's or an older one. Each build has its own version (SvelteKit
// writes it to _app/version.json), so comparing the two catches a stray server on the same port.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FullConfig } from '@playwright/test';

/** Throws unless the server at `baseURL` serves the build in `buildDir` (same _app/version.json). */
export async function assertServesBuild(baseURL: string, buildDir: string): Promise<void> {
	const built = (JSON.parse(readFileSync(join(buildDir, '_app/version.json'), 'utf8')) as { version: string }).version;
	const response = await fetch(new URL('/_app/version.json', baseURL), { cache: 'no-store' });
	const served = response.ok ? ((await response.json()) as { version?: unknown }).version : `HTTP ${response.status}`;
	if (served !== built) {
		throw new Error(
			`${baseURL} serves build ${String(served)}, but ${buildDir} holds ${built}: another server is on that port. Stop it, or set E2E_PORT to a free port.`
		);
	}
}

export default async function globalSetup(config: FullConfig): Promise<void> {
	const baseURL = config.projects[0]?.use.baseURL;
	if (baseURL === undefined) throw new Error('playwright.config.ts sets no baseURL.');
	await assertServesBuild(baseURL, resolve('build'));
}
