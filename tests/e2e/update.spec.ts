// Updates (issue 6): build A (the production build in build/) is served and opened, then build B
// (the same sources built again, so a different version) is served at the same origin by
// scripts/serve.mjs restarted on B's folder. The page must offer B, apply it only when accepted,
// never swap it under unsaved input without asking, and keep everything stored under A.
import { test, expect, type Page } from '@playwright/test';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { completeSetUp, expectAccessible, go, waitForServiceWorker } from './fixtures';

test.describe.configure({ mode: 'serial' });

const DIR_A = resolve('build');
let dirB = '';
let workDir = '';
let versionA = '';
let versionB = '';
let origin = '';
let port = 0;
let server: ChildProcess | undefined;

function versionOf(dir: string): string {
	return (JSON.parse(readFileSync(join(dir, '_app/version.json'), 'utf8')) as { version: string }).version;
}

/**
 * Builds the app a second time in a scratch copy of the project, so the shared .svelte-kit and
 * build/ folders (and anyone else's server on them) are left alone. A build's version ends with its
 * build time (scripts/app-version.mjs), so B's version differs from A's.
 */
async function buildB(): Promise<string> {
	workDir = mkdtempSync(join(tmpdir(), 'casetrail-build-b-'));
	for (const entry of ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'scripts/app-version.mjs', 'tsconfig.json', 'package.json']) {
		cpSync(entry, join(workDir, entry), { recursive: true });
	}
	symlinkSync(resolve('node_modules'), join(workDir, 'node_modules'), 'dir');
	await promisify(execFile)(process.execPath, [resolve('node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], {
		cwd: workDir,
		timeout: 120_000
	});
	return join(workDir, 'build');
}

async function freePort(): Promise<number> {
	const probe = createServer();
	probe.listen(0, '127.0.0.1');
	await once(probe, 'listening');
	const { port: free } = probe.address() as AddressInfo;
	probe.close();
	await once(probe, 'close');
	return free;
}

async function stopServer(): Promise<void> {
	if (!server) return;
	const exited = once(server, 'exit');
	server.kill();
	await exited;
	server = undefined;
}

/** (Re)starts scripts/serve.mjs on `dir`, at the same port, as a deployment replaces the files. */
async function serve(dir: string): Promise<void> {
	await stopServer();
	const child = spawn(process.execPath, ['scripts/serve.mjs', '--dir', dir, '--port', String(port)], {
		stdio: ['ignore', 'pipe', 'inherit']
	});
	server = child;
	await new Promise<void>((ready, fail) => {
		child.once('exit', (code) => fail(new Error(`serve.mjs exited with ${code}`)));
		child.stdout?.on('data', (chunk: Buffer) => {
			if (chunk.toString().includes('served at')) ready();
		});
	});
}

/** Opens `path` of build A and waits until its service worker controls the page. */
async function openA(page: Page, path = '/settings'): Promise<void> {
	await serve(DIR_A);
	await page.goto(`${origin}${path}`);
	await waitForServiceWorker(page);
	await expect(page.getByTestId('app-version')).toHaveText(versionA);
}

/** Deploys B and has the open page look for it through the settings page's button. */
async function deployBAndCheck(page: Page): Promise<void> {
	await serve(dirB);
	await page.getByRole('button', { name: 'Check for updates' }).click();
	await expect(page.getByTestId('update-check')).toContainText('being downloaded');
}

async function writeUnderA(page: Page): Promise<void> {
	await page.evaluate(async () => {
		localStorage.setItem('casetrail-update-test', 'written under A');
		await new Promise<void>((done, fail) => {
			const open = indexedDB.open('casetrail-update-test', 1);
			open.onupgradeneeded = () => open.result.createObjectStore('notes');
			open.onerror = () => fail(open.error);
			open.onsuccess = () => {
				const tx = open.result.transaction('notes', 'readwrite');
				tx.objectStore('notes').put({ text: 'recorded under A' }, 'first');
				tx.oncomplete = () => {
					open.result.close();
					done();
				};
				tx.onerror = () => fail(tx.error);
			};
		});
	});
}

async function readBack(page: Page): Promise<{ local: string | null; indexed: unknown; databases: string[] }> {
	return page.evaluate(async () => {
		const indexed = await new Promise<unknown>((done, fail) => {
			const open = indexedDB.open('casetrail-update-test');
			open.onerror = () => fail(open.error);
			open.onsuccess = () => {
				const get = open.result.transaction('notes').objectStore('notes').get('first');
				get.onsuccess = () => {
					open.result.close();
					done(get.result);
				};
				get.onerror = () => fail(get.error);
			};
		});
		const databases = (await indexedDB.databases()).map((d) => d.name ?? '').sort();
		return { local: localStorage.getItem('casetrail-update-test'), indexed, databases };
	});
}

test.beforeAll(async () => {
	test.setTimeout(150_000);
	versionA = versionOf(DIR_A);
	dirB = await buildB();
	versionB = versionOf(dirB);
	expect(versionB).not.toBe(versionA);
	port = await freePort();
	origin = `http://localhost:${port}`;
});

test.afterAll(async () => {
	await stopServer();
	if (workDir) rmSync(workDir, { recursive: true, force: true });
});

test('offers the new version, applies it when accepted, and keeps the data recorded under the old one', async ({
	page,
	context
}) => {
	await openA(page);
	await writeUnderA(page);
	const before = await readBack(page);

	await deployBAndCheck(page);
	const prompt = page.getByTestId('update-prompt');
	await expect(prompt).toHaveAttribute('role', 'status');
	await expect(prompt).toContainText('New version available');
	// Nothing is swapped until the person says so.
	await expect(page.getByTestId('app-version')).toHaveText(versionA);
	await expectAccessible(page);

	await prompt.getByRole('button', { name: 'Reload to update' }).click();
	await expect(page.getByTestId('app-version')).toHaveText(versionB);
	await expect(prompt.getByRole('button')).toHaveCount(0);
	expect(await readBack(page)).toEqual(before);
	expect(before.local).toBe('written under A');
	expect(before.indexed).toEqual({ text: 'recorded under A' });

	// Only B's app is cached now, and B is what starts with no network.
	expect(await page.evaluate(() => caches.keys())).toEqual([`casetrail-app-${versionB}`]);
	await context.setOffline(true);
	await page.reload();
	await expect(page.getByTestId('app-version')).toHaveText(versionB);
});

test('“Later” keeps the running version; the offer comes back on the next load', async ({ page }) => {
	await openA(page);
	await deployBAndCheck(page);
	const prompt = page.getByTestId('update-prompt');
	await prompt.getByRole('button', { name: 'Later' }).click();
	await expect(prompt.getByRole('button')).toHaveCount(0);

	// A reload does not activate a waiting version: the tab never closed.
	await page.reload();
	await expect(page.getByTestId('app-version')).toHaveText(versionA);
	await expect(prompt).toContainText('New version available');
	await prompt.getByRole('button', { name: 'Reload to update' }).click();
	await expect(page.getByTestId('app-version')).toHaveText(versionB);
});

test('a version accepted in one tab is offered as a reload in the others', async ({ page, context }) => {
	await openA(page);
	const other = await context.newPage();
	await other.goto(`${origin}/settings`);
	await expect(other.getByTestId('app-version')).toHaveText(versionA);

	await deployBAndCheck(page);
	await expect(other.getByTestId('update-prompt')).toContainText('New version available');
	await page.getByTestId('update-prompt').getByRole('button', { name: 'Reload to update' }).click();
	await expect(page.getByTestId('app-version')).toHaveText(versionB);

	// The other tab keeps running A (its open work is untouched) and says how to catch up.
	const otherPrompt = other.getByTestId('update-prompt');
	await expect(otherPrompt).toContainText('activated in another tab');
	await expect(other.getByTestId('app-version')).toHaveText(versionA);
	await otherPrompt.getByRole('button', { name: 'Reload' }).click();
	await expect(other.getByTestId('app-version')).toHaveText(versionB);
});

test('asks before an update would discard unsaved input in a form', async ({ page }) => {
	await openA(page, '/setup');
	await completeSetUp(page);
	await go(page, '/register');
	const field = page.locator('main').getByRole('textbox').first();
	await field.fill('typed under A, not saved');

	await serve(dirB);
	await page.evaluate(async () => {
		await (await navigator.serviceWorker.getRegistration())?.update();
	});
	const prompt = page.getByTestId('update-prompt');
	await prompt.getByRole('button', { name: 'Reload to update' }).click();
	await expect(prompt).toContainText('not saved yet');
	const keep = prompt.getByRole('button', { name: 'Keep editing' });
	await expect(keep).toBeFocused();
	await keep.click();
	await expect(field).toHaveValue('typed under A, not saved');
	await expect(page.getByTestId('app-version')).toHaveText(versionA);

	await prompt.getByRole('button', { name: 'Reload to update' }).click();
	await prompt.getByRole('button', { name: 'Discard and reload' }).click();
	await expect(page.getByTestId('app-version')).toHaveText(versionB);
});
