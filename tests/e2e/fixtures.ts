// Shared helpers for the end-to-end tests: an axe check with the project's WCAG tags, and a fresh
// context per test (each test gets its own empty IndexedDB).
import { expect, type Page } from '@playwright/test';
import { AxeBuilder } from '@axe-core/playwright';

/** Fails when axe finds a serious or critical WCAG 2.2 AA issue on the page as it is now. */
export async function expectAccessible(page: Page): Promise<void> {
	const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
	const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	expect(
		blocking.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
		`axe on ${page.url()}`
	).toEqual([]);
}

/** Waits until the service worker controls the page, so the next load can be served offline. */
export async function waitForServiceWorker(page: Page): Promise<void> {
	await page.waitForFunction(async () => {
		const registration = await navigator.serviceWorker.ready;
		return registration.active?.state === 'activated' && navigator.serviceWorker.controller !== null;
	});
}

/** The first administrator the case-worker tests create on a fresh device. */
export const ADMIN = { name: 'Ada Admin', passphrase: 'correct horse battery staple' };

/**
 * First start on a fresh device, through the setup page: creates the administrator (by default
 * {@link ADMIN}) and leaves them signed in, on the home page. Every test context starts with an
 * empty IndexedDB, so each test calls this once.
 */
export async function setUp(page: Page, admin: { name: string; passphrase: string } = ADMIN): Promise<void> {
	await page.goto('/setup');
	await completeSetUp(page, admin);
}

/** Fills and submits the set-up form the page already shows. */
export async function completeSetUp(page: Page, admin: { name: string; passphrase: string } = ADMIN): Promise<void> {
	await expect(page.getByRole('heading', { level: 1, name: 'Set up this device' })).toBeVisible();
	await page.locator('#setup-name').fill(admin.name);
	await page.locator('#setup-secret').fill(admin.passphrase);
	await page.locator('#setup-repeat').fill(admin.passphrase);
	await page.locator('#setup-understood').check();
	await page.getByRole('button', { name: 'Set up this device' }).click();
	await expect(page).toHaveURL(new URL('/', page.url()).href);
	await expect(page.getByTestId('session-user')).toContainText(admin.name);
}

/**
 * Signs `name` in on the sign-in page. A page that shows nothing yet opens it; a page of the app is
 * expected to be there already, or to be sent there by the session gate (after a reload the worker
 * starts locked: the data key lives only in its memory). Returns once the app has moved on to where
 * the person was going.
 */
export async function signIn(page: Page, name: string, passphrase: string): Promise<void> {
	if (!page.url().startsWith('http')) await page.goto('/signin');
	await expect(page).toHaveURL(/\/signin(\?|$)/);
	await page.getByRole('radio', { name, exact: true }).check();
	await page.locator('#signin-secret').fill(passphrase);
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
	await expect(page).not.toHaveURL(/\/signin(\?|$)/);
	await expect(page.getByTestId('session-user')).toContainText(name);
}

/** Signs out with the header's button and waits for the sign-in page. */
export async function signOut(page: Page): Promise<void> {
	await page.getByTestId('session').getByRole('button', { name: 'Sign out' }).click();
	await expect(page).toHaveURL(/\/signin$/);
	await expect(page.getByTestId('session')).toHaveCount(0);
}

/**
 * Every string of every record of every object store of the app's database, lower-cased: what
 * someone holding the device reads below the app (the encryption-at-rest scans).
 */
export async function rawIndexedDbText(page: Page): Promise<string> {
	return page.evaluate(async () => {
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const req = indexedDB.open('casetrail');
			req.onsuccess = () => resolve(req.result);
			req.onerror = () => reject(req.error);
		});
		const parts: string[] = [];
		const walk = (value: unknown): void => {
			if (typeof value === 'string') parts.push(value);
			else if (typeof value === 'number') parts.push(String(value));
			else if (value instanceof Uint8Array) parts.push(String.fromCharCode(...value), new TextDecoder().decode(value));
			else if (value instanceof ArrayBuffer) walk(new Uint8Array(value));
			else if (Array.isArray(value)) value.forEach(walk);
			else if (typeof value === 'object' && value !== null && !(value instanceof CryptoKey)) {
				for (const [k, v] of Object.entries(value)) {
					parts.push(k);
					walk(v);
				}
			}
		};
		for (const name of Array.from(db.objectStoreNames)) {
			const records = await new Promise<unknown[]>((resolve, reject) => {
				const req = db.transaction(name, 'readonly').objectStore(name).getAll();
				req.onsuccess = () => resolve(req.result);
				req.onerror = () => reject(req.error);
			});
			parts.push(`[${name}]`);
			records.forEach(walk);
		}
		db.close();
		return parts.join('\n').toLowerCase();
	});
}

/**
 * Moves to `path` inside the app without reloading it, as following a link does, and waits until the
 * page is at `landsOn` (by default `path` itself; a redirect's target where the app sends the person
 * elsewhere). A reload (or page.goto) starts a new worker, which is signed out: the session lives
 * only in its memory.
 */
export async function go(page: Page, path: string, landsOn?: RegExp): Promise<void> {
	await page.evaluate((href) => {
		const a = document.createElement('a');
		a.href = href;
		document.body.append(a);
		a.click();
		a.remove();
	}, path);
	await expect(page).toHaveURL(landsOn ?? new URL(path, page.url()).href);
}

/** A person to register; every test passes its own names so searches stay exact. */
export interface Person {
	givenName: string;
	familyName: string;
	sex: 'female' | 'male' | 'other' | 'unknown';
	dateOfBirth: string;
	phone?: string;
	nationalId?: string;
	address?: string;
}

/** Fills the registration form whose fields have ids starting with `prefix` (the register page: 'reg'). */
export async function fillPerson(page: Page, person: Person, prefix = 'reg'): Promise<void> {
	await page.locator(`#${prefix}-givenName`).fill(person.givenName);
	await page.locator(`#${prefix}-familyName`).fill(person.familyName);
	await page.locator(`#${prefix}-sex`).selectOption(person.sex);
	await page.locator(`#${prefix}-dateOfBirth`).fill(person.dateOfBirth);
	if (person.phone !== undefined) await page.locator(`#${prefix}-phone`).fill(person.phone);
	if (person.nationalId !== undefined) await page.locator(`#${prefix}-nationalId`).fill(person.nationalId);
	if (person.address !== undefined) await page.locator(`#${prefix}-address`).fill(person.address);
}

/** Registers a person through the register page and returns the guid of the new record. */
export async function registerPerson(page: Page, person: Person): Promise<string> {
	await go(page, '/register');
	await fillPerson(page, person);
	await page.getByRole('button', { name: 'Register', exact: true }).click();
	const saved = page.getByTestId('saved');
	await expect(saved).toContainText(`${person.givenName} ${person.familyName} is registered.`);
	const href = await saved.getByRole('link').getAttribute('href');
	return (href ?? '').replace('/entities/', '');
}

/**
 * Slows the worker's duplicate check, as a device holding many records under load does: every
 * `findDuplicates` call reaching the database worker starts `delayMs` later, while every other call
 * (a save) runs at once. Call before the page first loads the worker (before setUp). Returns a
 * function that says how many duplicate checks the worker was asked and has answered so far, so a
 * test can wait for a late answer.
 */
export async function slowDuplicateCheck(page: Page, delayMs: number): Promise<() => Promise<{ asked: number; answered: number }>> {
	await page.route('**/_app/immutable/workers/db.worker-*.js', async (route) => {
		const response = await route.fetch();
		// Comlink listens on the worker's global scope and answers with its postMessage: the delay
		// wraps the listener, and the calls and answers are counted on a BroadcastChannel.
		const slow =
			`{ const delay = ${Number(delayMs)}; const ids = new Set(); const counts = new BroadcastChannel('e2e-duplicate-checks');` +
			' const add = self.addEventListener.bind(self); const post = self.postMessage.bind(self);' +
			" self.postMessage = (message, ...rest) => { post(message, ...rest); if (message && ids.delete(message.id)) counts.postMessage('answered'); };" +
			" self.addEventListener = (type, listener, options) => add(type, type !== 'message' ? listener : (event) => {" +
			" const path = event.data && event.data.path; if (Array.isArray(path) && path[path.length - 1] === 'findDuplicates') {" +
			" ids.add(event.data.id); counts.postMessage('asked'); setTimeout(() => listener.call(self, event), delay); }" +
			' else listener.call(self, event); }, options); }\n';
		await route.fulfill({ response, body: slow + (await response.text()) });
	});
	await page.addInitScript(() => {
		const counts = { asked: 0, answered: 0 };
		(window as unknown as { e2eDuplicateChecks: typeof counts }).e2eDuplicateChecks = counts;
		new BroadcastChannel('e2e-duplicate-checks').onmessage = (e: MessageEvent<'asked' | 'answered'>) => void counts[e.data]++;
	});
	return () => page.evaluate(() => ({ ...(window as unknown as { e2eDuplicateChecks: { asked: number; answered: number } }).e2eDuplicateChecks }));
}
