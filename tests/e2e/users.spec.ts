// Users, roles and sessions through the real pages (issue 8): first setup says that a lost
// passphrase loses the data, an administrator adds a case worker who then sees only their own
// records, wrong passphrases are said beside the field, a case worker's PIN is a quick unlock after
// the idle lock (wrong PINs wait after the free tries), the session gate, the idle lock, and nothing
// readable in IndexedDB once signed out.
import { test, expect, type Page } from '@playwright/test';
import { PIN_DELAYS_SECONDS } from '../../src/lib/crypto/pin';
import { ADMIN, expectAccessible, go, rawIndexedDbText, registerPerson, setUp, signIn, signOut } from './fixtures';

const WORKER = { name: 'Ben Mwangi', passphrase: 'blue river tea garden' };

/** Adds a user on the Users page, as an administrator. */
async function addUser(page: Page, user: { name: string; role: 'administrator' | 'supervisor' | 'case-worker'; secret: string }): Promise<void> {
	await go(page, '/users');
	await page.locator('#add-name').fill(user.name);
	await page.locator('#add-role').selectOption(user.role);
	await page.locator('#add-secret').fill(user.secret);
	await page.locator('#add-repeat').fill(user.secret);
	await page.getByRole('button', { name: 'Add user' }).click();
	await expect(page.getByTestId('users-done')).toContainText(`${user.name} was added as`);
	await expect(page.getByTestId('users-done')).toBeFocused();
}

function mainNav(page: Page) {
	return page.getByRole('navigation', { name: 'Main' });
}

test('setup, a case worker sees only their own records, an administrator sees all', async ({ page }) => {
	await page.goto('/entities');
	// A fresh device: every gated route leads to setup, which warns before its button.
	await expect(page).toHaveURL(/\/setup$/);
	const notice = page.getByTestId('data-loss-notice');
	await expect(notice).toBeVisible();
	await expect(notice).toContainText('cannot be recovered');
	await expect(notice).toContainText('export a bundle regularly from the Exchange page');
	const noticeBox = await notice.boundingBox();
	const buttonBox = await page.getByRole('button', { name: 'Set up this device' }).boundingBox();
	expect(noticeBox!.y).toBeLessThan(buttonBox!.y);
	await expectAccessible(page);

	// The box must be ticked; the error says so beside it.
	await page.locator('#setup-name').fill(ADMIN.name);
	await page.locator('#setup-secret').fill(ADMIN.passphrase);
	await page.locator('#setup-repeat').fill(ADMIN.passphrase);
	await page.getByRole('button', { name: 'Set up this device' }).click();
	await expect(page.getByTestId('error-summary')).toHaveAttribute('role', 'alert');
	await expect(page.locator('#setup-understood')).toBeFocused();
	await expect(page.locator('#setup-understood-error')).toContainText('Tick this box');

	await setUp(page);
	await expect(page.getByTestId('session-user')).toHaveText(`${ADMIN.name} · Administrator`);
	await expect(mainNav(page).getByRole('link', { name: 'Users' })).toBeVisible();
	const adminsOwn = await registerPerson(page, { givenName: 'Amani', familyName: 'Otieno', sex: 'female', dateOfBirth: '1979-03-14' });

	await addUser(page, { name: WORKER.name, role: 'case-worker', secret: WORKER.passphrase });
	const row = page.getByTestId('user').filter({ hasText: WORKER.name });
	await expect(row.getByTestId('user-role')).toHaveText('Case worker');
	await expectAccessible(page);

	await signOut(page);
	await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeFocused();
	await expectAccessible(page);
	// Names only on the sign-in screen.
	await expect(page.getByRole('radio')).toHaveCount(2);
	await expect(page.locator('main')).not.toContainText('Case worker');

	await signIn(page, WORKER.name, WORKER.passphrase);
	await expect(page.getByTestId('session-user')).toHaveText(`${WORKER.name} · Case worker`);
	await expect(mainNav(page).getByRole('link', { name: 'Users' })).toHaveCount(0);
	await registerPerson(page, { givenName: 'Baraka', familyName: 'Wekesa', sex: 'male', dateOfBirth: '1990-06-01' });
	await go(page, '/entities');
	await expect(page.getByTestId('results')).toContainText('Baraka Wekesa');
	await expect(page.getByTestId('results')).not.toContainText('Amani Otieno');
	// Opening the administrator's record by its address is refused by the worker, not only hidden.
	await go(page, `/entities/${adminsOwn}`);
	await expect(page.getByTestId('error')).toHaveAttribute('data-code', 'forbidden');
	await expect(page.locator('main')).not.toContainText('Amani');
	// And the Users page refuses a case worker.
	await go(page, '/users');
	await expect(page.getByTestId('users-forbidden')).toBeVisible();
	await expect(page.locator('#add-name')).toHaveCount(0);

	await signOut(page);
	await signIn(page, ADMIN.name, ADMIN.passphrase);
	await go(page, '/entities');
	await expect(page.getByTestId('results')).toContainText('Amani Otieno');
	await expect(page.getByTestId('results')).toContainText('Baraka Wekesa');
});

test('a wrong passphrase is said beside the field; the right one goes back where the person was going', async ({ page }) => {
	await setUp(page);
	await page.goto('/events');
	await expect(page).toHaveURL(/\/signin\?next=%2Fevents$/);
	await page.getByRole('radio', { name: ADMIN.name }).check();
	await page.locator('#signin-secret').fill('not the right one');
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
	const error = page.getByTestId('signin-secret-error');
	await expect(error).toHaveText('That passphrase is not right. Check caps lock and the keyboard language, then try again.');
	await expect(error).toHaveAttribute('role', 'alert');
	await expect(page.locator('#signin-secret')).toHaveAttribute('aria-invalid', 'true');
	await expect(page.locator('#signin-secret')).toBeFocused();
	await expect(page.locator('#signin-secret')).toHaveValue('');
	await expect(page).toHaveURL(/\/signin/);

	await page.locator('#signin-secret').fill(ADMIN.passphrase);
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/\/events$/);
	await expect(page.getByTestId('session-user')).toContainText(ADMIN.name);
});

test('signed out, nothing in IndexedDB holds a registered name; settings keeps install and storage', async ({ page }) => {
	await setUp(page);
	await registerPerson(page, { givenName: 'Nyokabi', familyName: 'Kamau', sex: 'female', dateOfBirth: '1984-02-20', phone: '0711987654' });
	await registerPerson(page, { givenName: 'Otieno', familyName: 'Barasa', sex: 'male', dateOfBirth: '1975-12-05' });
	await signOut(page);

	const raw = await rawIndexedDbText(page);
	expect(raw).toContain('[events]');
	for (const secret of ['Nyokabi', 'Kamau', 'Barasa', '0711987654']) expect(raw, secret).not.toContain(secret.toLowerCase());

	// Locked: only settings opens, with installation and storage and without the device's identity.
	await expect(mainNav(page).getByRole('link')).toHaveText(['Settings']);
	await go(page, '/settings');
	await expect(page.getByRole('heading', { level: 2, name: 'Storage on this device' })).toBeVisible();
	await expect(page.getByTestId('device-identity')).toHaveCount(0);
	await expect(page.getByTestId('settings-signed-out')).toBeVisible();
	await page.getByRole('link', { name: 'Casetrail' }).click();
	await expect(page).toHaveURL(/\/signin\?next=%2F$/);
});

test.describe('the idle lock', () => {
	// The worker's clock is moved forward by a line put before its script: the service worker would
	// answer that request itself, so it is kept out of this test.
	test.use({ serviceWorkers: 'block' });

	/** Lets the test move the worker's clock forward: post milliseconds on the 'e2e-clock' channel. */
	async function skewWorkerClock(page: Page): Promise<void> {
		await page.route('**/_app/immutable/workers/db.worker-*.js', async (route) => {
			const response = await route.fetch();
			// Both Date.now() and new Date() move: the worker reads the clock both ways.
			const skew =
				"{ const RealDate = Date; let skew = 0; new BroadcastChannel('e2e-clock').onmessage = (e) => { skew += e.data; };" +
				' globalThis.Date = class extends RealDate { constructor(...a) { if (a.length === 0) super(RealDate.now() + skew); else super(...a); } static now() { return RealDate.now() + skew; } }; }\n';
			await route.fulfill({ response, body: skew + (await response.text()) });
		});
	}

	test('a worker idle for 15 minutes sends to sign-in, says why, and comes back after', async ({ page }) => {
		await skewWorkerClock(page);
		await setUp(page);
		await registerPerson(page, { givenName: 'Wairimu', familyName: 'Njoroge', sex: 'female', dateOfBirth: '1993-08-08' });
		await page.evaluate(() => new BroadcastChannel('e2e-clock').postMessage(16 * 60_000));

		await go(page, '/entities', /\/signin\?next=%2Fentities$/);
		await expect(page.getByTestId('locked')).toHaveText('Locked after 15 minutes without use. Sign in again to continue.');
		await expect(page.getByTestId('session')).toHaveCount(0);

		await signIn(page, ADMIN.name, ADMIN.passphrase);
		await expect(page).toHaveURL(/\/entities$/);
		await expect(page.getByTestId('results')).toContainText('Wairimu Njoroge');
	});

	test("a case worker's PIN unlocks the tab after the idle lock; wrong PINs make the next try wait", async ({ page }) => {
		await skewWorkerClock(page);
		// The store's thresholds: tries that cost nothing, then the first wait.
		const free = PIN_DELAYS_SECONDS.findIndex((s) => s > 0) + 1;
		const firstWait = PIN_DELAYS_SECONDS[free - 1] ?? 0;
		expect(free).toBeGreaterThan(1);
		const pin = '482913';

		await setUp(page);
		// Every new user gets a passphrase: the PIN is not offered when adding one.
		await go(page, '/users');
		await expect(page.getByRole('radio', { name: 'PIN', exact: true })).toHaveCount(0);
		await addUser(page, { name: WORKER.name, role: 'case-worker', secret: WORKER.passphrase });
		await signOut(page);
		await signIn(page, WORKER.name, WORKER.passphrase);
		await go(page, '/users/me');
		await page.locator('#quick-secret').fill(pin);
		await page.locator('#quick-repeat').fill(pin);
		await page.getByRole('button', { name: 'Set PIN' }).click();
		await expect(page.getByTestId('quick-done')).toBeFocused();
		await expectAccessible(page);

		await page.evaluate(() => new BroadcastChannel('e2e-clock').postMessage(16 * 60_000));
		await go(page, '/entities', /\/signin\?next=%2Fentities$/);
		await page.getByRole('radio', { name: WORKER.name }).check();
		await expect(page.getByLabel('PIN', { exact: true })).toBeVisible();
		const error = page.getByTestId('signin-secret-error');
		for (let i = 1; i <= free; i++) {
			await page.locator('#signin-secret').fill('000000');
			await page.getByRole('button', { name: 'Sign in', exact: true }).click();
			await expect(error).toContainText('That PIN is not right.');
			if (i < free) await expect(error).not.toContainText('Try again in');
		}
		await expect(error).toContainText(`Too many wrong PINs. Try again in ${firstWait} seconds.`);
		await expect(page.getByTestId('wait-left')).toContainText(/Seconds left: \d+/);
		// Even the right PIN is refused until the wait is over.
		await page.locator('#signin-secret').fill(pin);
		await page.getByRole('button', { name: 'Sign in', exact: true }).click();
		await expect(error).toHaveText(/^Too many wrong PINs\. Try again in \d+ seconds\.$/);
		await expectAccessible(page);

		// Once the wait is over (on the worker's clock), the PIN unlocks the tab.
		await page.evaluate((ms) => new BroadcastChannel('e2e-clock').postMessage(ms), (firstWait + 1) * 1000);
		await page.locator('#signin-secret').fill(pin);
		await page.getByRole('button', { name: 'Sign in', exact: true }).click();
		await expect(page).toHaveURL(/\/entities$/);
		await expect(page.getByTestId('session-user')).toContainText(WORKER.name);
	});
});

test('an administrator changes a role, resets a passphrase and removes a user; anyone changes their own', async ({ page }) => {
	await setUp(page);
	await addUser(page, { name: WORKER.name, role: 'case-worker', secret: WORKER.passphrase });
	const row = page.getByTestId('user').filter({ hasText: WORKER.name });

	await row.getByRole('button', { name: `Change role: ${WORKER.name}` }).click();
	const roleDialog = page.getByTestId('role-dialog');
	await expect(roleDialog).toBeVisible();
	await roleDialog.getByRole('radio', { name: 'Supervisor' }).check();
	await roleDialog.getByRole('button', { name: 'Save role' }).click();
	await expect(page.getByTestId('users-done')).toHaveText(`${WORKER.name} is now a supervisor.`);
	await expect(row.getByTestId('user-role')).toHaveText('Supervisor');

	// The last administrator cannot stop being one: the dialog says why and nothing changes.
	const own = page.getByTestId('user').filter({ hasText: ADMIN.name });
	await own.getByRole('button', { name: `Change role: ${ADMIN.name}` }).click();
	await roleDialog.getByRole('radio', { name: 'Case worker' }).check();
	await roleDialog.getByRole('button', { name: 'Save role' }).click();
	await expect(roleDialog.getByTestId('error')).toContainText('last administrator');
	await roleDialog.getByRole('button', { name: 'Cancel' }).click();
	await expect(own.getByTestId('user-role')).toHaveText('Administrator');

	const newSecret = 'green hills morning fog';
	await row.getByRole('button', { name: `New passphrase: ${WORKER.name}` }).click();
	const reset = page.getByTestId('reset-dialog');
	await reset.locator('#reset-secret').fill(newSecret);
	await reset.locator('#reset-repeat').fill('something else');
	await reset.getByRole('button', { name: 'Save new secret' }).click();
	await expect(reset.locator('#reset-repeat-error')).toHaveText('The two entries are not the same. Type them again.');
	await reset.locator('#reset-repeat').fill(newSecret);
	await reset.getByRole('button', { name: 'Save new secret' }).click();
	await expect(page.getByTestId('users-done')).toHaveText(`${WORKER.name} has a new passphrase.`);

	await signOut(page);
	await signIn(page, WORKER.name, newSecret);
	await expect(page.getByTestId('session-user')).toHaveText(`${WORKER.name} · Supervisor`);
	// Their own, from the Your passphrase page.
	await go(page, '/users/me');
	const changed = 'quiet harbour lanterns glow';
	await page.locator('#me-current').fill('wrong one entirely');
	await page.locator('#me-secret').fill(changed);
	await page.locator('#me-repeat').fill(changed);
	await page.getByRole('button', { name: 'Change', exact: true }).click();
	await expect(page.getByTestId('me-current-error')).toHaveText('That is not your current passphrase.');
	await expect(page.locator('#me-current')).toBeFocused();
	await page.locator('#me-current').fill(newSecret);
	await page.getByRole('button', { name: 'Change', exact: true }).click();
	await expect(page.getByTestId('me-done')).toBeFocused();
	await expectAccessible(page);
	await signOut(page);
	await signIn(page, WORKER.name, changed);

	await signOut(page);
	await signIn(page, ADMIN.name, ADMIN.passphrase);
	await go(page, '/users');
	await page.getByTestId('user').filter({ hasText: WORKER.name }).getByRole('button', { name: `Remove: ${WORKER.name}` }).click();
	const remove = page.getByTestId('remove-dialog');
	await expect(remove).toContainText('will no longer be able to sign in');
	await remove.getByRole('button', { name: 'Remove user' }).click();
	await expect(page.getByTestId('users-done')).toContainText(`${WORKER.name} was removed from this device.`);
	await expect(page.getByTestId('user')).toHaveCount(1);
	await expectAccessible(page);
});

test('removing a user changes the device key, with a progress bar, and every record still opens', async ({ page }) => {
	await setUp(page);
	const amani = await registerPerson(page, { givenName: 'Amani', familyName: 'Otieno', sex: 'female', dateOfBirth: '1979-03-14' });
	await registerPerson(page, { givenName: 'Baraka', familyName: 'Wekesa', sex: 'male', dateOfBirth: '1990-06-01' });
	await addUser(page, { name: WORKER.name, role: 'supervisor', secret: WORKER.passphrase });

	await page.getByTestId('user').filter({ hasText: WORKER.name }).getByRole('button', { name: `Remove: ${WORKER.name}` }).click();
	await page.getByTestId('remove-dialog').getByRole('button', { name: 'Remove user' }).click();
	const done = page.getByTestId('users-done');
	await expect(done).toContainText(`${WORKER.name} was removed from this device. The device key was changed:`);
	await expect(done).toContainText(`a copy of ${WORKER.name}’s passphrase no longer opens what is stored here`);
	// The bar ends full: every stored item encrypted again.
	const bar = page.getByTestId('rotation-page').getByTestId('rotation-progress');
	await expect(bar).toBeVisible();
	const max = await bar.getAttribute('max');
	expect(Number(max)).toBeGreaterThan(2);
	await expect(bar).toHaveAttribute('value', max as string);
	await expect(page.getByRole('progressbar', { name: 'Changing the device key' })).toBeVisible();
	await expectAccessible(page);

	// The session carries on under the new key; after signing in again every record opens and search finds it.
	await go(page, `/entities/${amani}`);
	await expect(page.locator('main')).toContainText('Amani');
	await signOut(page);
	await signIn(page, ADMIN.name, ADMIN.passphrase);
	await go(page, '/entities');
	await expect(page.getByTestId('results')).toContainText('Amani Otieno');
	await expect(page.getByTestId('results')).toContainText('Baraka Wekesa');
	await go(page, '/integrity');
	await page.locator('main button').first().click();
	await expect(page.getByTestId('integrity-result')).toHaveAttribute('data-ok', 'true');
	// The removed user is not offered on the sign-in screen.
	await signOut(page);
	await expect(page.getByRole('radio')).toHaveCount(1);
});

test('a removal in one tab changes the device key; another open tab is sent to sign in again, and signs in', async ({ context, page }) => {
	await setUp(page);
	await registerPerson(page, { givenName: 'Amani', familyName: 'Otieno', sex: 'female', dateOfBirth: '1979-03-14' });
	await addUser(page, { name: WORKER.name, role: 'case-worker', secret: WORKER.passphrase });
	const other = await context.newPage();
	await other.goto('/entities');
	await signIn(other, ADMIN.name, ADMIN.passphrase);
	await expect(other.getByTestId('results')).toContainText('Amani Otieno');

	await go(page, '/users');
	await page.getByTestId('user').filter({ hasText: WORKER.name }).getByRole('button', { name: `Remove: ${WORKER.name}` }).click();
	await page.getByTestId('remove-dialog').getByRole('button', { name: 'Remove user' }).click();
	await expect(page.getByTestId('users-done')).toContainText('The device key was changed');
	// The other tab's session held the old key: its worker signed it out (the page notices at its next
	// step, or within a minute), and it signs in with the new one.
	await go(other, '/events', /\/signin/);
	await signIn(other, ADMIN.name, ADMIN.passphrase);
	await go(other, '/entities');
	await expect(other.getByTestId('results')).toContainText('Amani Otieno');
});

test('signing out in one tab signs out every open tab', async ({ context, page }) => {
	await setUp(page);
	const other = await context.newPage();
	await other.goto('/entities');
	await signIn(other, ADMIN.name, ADMIN.passphrase);
	await expect(other).toHaveURL(/\/entities/);

	await signOut(page);
	// The other tab's worker forgot its key too, and its page left the records for the sign-in page.
	await expect(other).toHaveURL(/\/signin/);
	await expect(other.getByTestId('session')).toHaveCount(0);
	await other.goto('/entities');
	await expect(other).toHaveURL(/\/signin/);
});
