// Encryption at rest in a real browser (issue 8): after registering people through the app, nothing
// in IndexedDB, read below the app as someone holding the device would read it, holds their names
// or phone numbers, neither while signed in nor after a reload leaves the worker locked.
import { expect, test } from '@playwright/test';
import { ADMIN, rawIndexedDbText as rawText, registerPerson, setUp } from './fixtures';

const SECRETS = ['Wanjiru', 'Achieng', 'Kibet', 'Odhiambo', '0722555111', '0733666222'];

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
