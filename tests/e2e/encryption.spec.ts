// Encryption at rest in a real browser (issue 8): after registering people through the app, nothing
// in IndexedDB, read below the app as someone holding the device would read it, holds their names
// or phone numbers, neither while signed in nor after a reload leaves the worker locked.
import { expect, test, type Page } from '@playwright/test';
import { ADMIN, registerPerson, setUp } from './fixtures';

const SECRETS = ['Wanjiru', 'Achieng', 'Kibet', 'Odhiambo', '0722555111', '0733666222'];

/** Every string of every record of every object store of the app's database, lower-cased. */
async function rawText(page: Page): Promise<string> {
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

test('no registered name or phone number is stored in clear, signed in or locked', async ({ page }) => {
	await setUp(page);
	await registerPerson(page, { givenName: 'Wanjiru', familyName: 'Odhiambo', sex: 'female', dateOfBirth: '1988-04-02', phone: '0722555111' });
	await registerPerson(page, { givenName: 'Achieng', familyName: 'Kibet', sex: 'female', dateOfBirth: '1992-11-30', phone: '0733666222' });

	const signedIn = await rawText(page);
	// The scan reads the records: the users table keeps the administrator's name, by design.
	expect(signedIn).toContain(ADMIN.name.toLowerCase());
	expect(signedIn).toContain('[events]');
	for (const secret of SECRETS) expect(signedIn, secret).not.toContain(secret.toLowerCase());

	// A reload starts a new worker, which holds no key until someone signs in.
	await page.reload();
	const locked = await rawText(page);
	for (const secret of SECRETS) expect(locked, secret).not.toContain(secret.toLowerCase());
});
