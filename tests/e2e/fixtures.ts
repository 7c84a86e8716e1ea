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
 * First start on a fresh device: creates the administrator and leaves them signed in, on the home
 * page. Every test context starts with an empty IndexedDB, so each test calls this once.
 */
export async function setUp(page: Page): Promise<void> {
	await page.goto('/dev-setup');
	await expect(page.getByTestId('dev')).toHaveText('done');
}

/**
 * Signs the administrator in again: after a reload the worker starts locked (the data key lives
 * only in its memory), so a test that reloads signs in before reading records.
 */
export async function signIn(page: Page, next = '/'): Promise<void> {
	await page.goto('/dev-setup');
	await expect(page.getByTestId('dev')).toHaveText('done');
	await go(page, next);
}

/**
 * Moves to `path` inside the app without reloading it, as following a link does. A reload (or
 * page.goto) starts a new worker, which is signed out: the session lives only in its memory.
 */
export async function go(page: Page, path: string): Promise<void> {
	await page.evaluate((href) => {
		const a = document.createElement('a');
		a.href = href;
		document.body.append(a);
		a.click();
		a.remove();
	}, path);
	await expect(page).toHaveURL(new URL(path, page.url()).href);
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
