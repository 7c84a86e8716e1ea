// Registering an individual (issue 5), in Chromium against the production build: field errors from
// the worker beside each field with nothing stored, the age beside the date of birth, the saved
// confirmation taking focus, and the just-in-time duplicate warning that lets the person open the
// match or register anyway. Also the walking-skeleton flow of issue 2: register, see, reload, see,
// go offline, reload, still see.
import { test, expect } from '@playwright/test';
import { ADMIN, expectAccessible, fillPerson, go, registerPerson, setUp, signIn, slowDuplicateCheck, waitForServiceWorker } from './fixtures';

test.describe('register an individual', () => {
	test('shows the worker’s sentence beside each wrong field and stores nothing', async ({ page }) => {
		await setUp(page);
		await go(page, '/register');
		await expect(page.getByRole('heading', { level: 1, name: 'Register an individual' })).toBeFocused();
		await expectAccessible(page);

		await page.getByRole('button', { name: 'Register', exact: true }).click();
		await expect(page.getByTestId('error-summary')).toContainText('4 fields need correcting');
		await expect(page.getByTestId('reg-givenName-error')).toHaveText('Given name is required.');
		await expect(page.getByTestId('reg-sex-error')).toHaveText('Sex is required.');
		await expect(page.locator('#reg-givenName')).toBeFocused();
		await expect(page.locator('#reg-givenName')).toHaveAttribute('aria-invalid', 'true');
		await expectAccessible(page);

		await fillPerson(page, { givenName: 'Grace', familyName: 'Auma', sex: 'female', dateOfBirth: '2099-01-01', phone: '12ab' });
		await page.getByRole('button', { name: 'Register', exact: true }).click();
		await expect(page.getByTestId('reg-dateOfBirth-error')).toHaveText('Date of birth cannot be in the future.');
		await expect(page.getByTestId('reg-phone-error')).toContainText('Phone may contain only digits');
		await expect(page.getByTestId('reg-givenName-error')).toHaveCount(0);
		await expect(page.locator('#reg-dateOfBirth')).toBeFocused();

		await go(page, '/');
		await expect(page.getByTestId('count-individuals')).toHaveText('0');
		await expect(page.getByTestId('count-events')).toHaveText('0');
	});

	test('registers with every field, shows the age and opens the record', async ({ page }) => {
		await setUp(page);
		await go(page, '/register');
		await fillPerson(page, {
			givenName: 'Grace',
			familyName: 'Auma',
			sex: 'female',
			dateOfBirth: '1990-03-14',
			phone: '+256 772 100 200',
			nationalId: 'CF-1990-0314',
			address: 'Layibi, Gulu'
		});
		await page.locator('#reg-notes').fill('Met at the water point.');
		await expect(page.getByTestId('age')).toContainText(/Age: \d+ years/);
		await page.getByRole('button', { name: 'Register', exact: true }).click();
		const saved = page.getByTestId('saved');
		await expect(saved).toContainText('Grace Auma is registered.');
		await expect(saved).toBeFocused();
		await expect(page.locator('#reg-givenName')).toHaveValue('');
		await expectAccessible(page);

		await saved.getByRole('link', { name: 'Open the record' }).click();
		await expect(page.getByTestId('entity-name')).toHaveText('Grace Auma');
		await expect(page.getByTestId('entity-name')).toBeFocused();
		const details = page.getByTestId('details');
		for (const text of ['Female', '14 Mar 1990', '+256 772 100 200', 'CF-1990-0314', 'Layibi, Gulu', 'Met at the water point.']) {
			await expect(details).toContainText(text);
		}
		await expectAccessible(page);
	});

	test('warns about a possible duplicate before saving; the person opens the match or goes on', async ({ page }) => {
		await setUp(page);
		const first = await registerPerson(page, { givenName: 'Amina', familyName: 'Okello', sex: 'female', dateOfBirth: '1985-07-02', nationalId: 'CM-8507 02' });

		await go(page, '/register');
		await fillPerson(page, { givenName: 'AMINA', familyName: 'okelo', sex: 'female', dateOfBirth: '1985-07-02' });
		const warning = page.getByTestId('duplicates');
		await expect(warning).toBeVisible();
		await expect(warning.getByTestId('duplicate')).toHaveCount(1);
		await expect(warning).toContainText('Similar name and same date of birth');
		await expectAccessible(page);

		// Saving stops at the warning and moves focus to it.
		await page.getByRole('button', { name: 'Register', exact: true }).click();
		await expect(warning.getByRole('heading', { name: 'This person may already be registered' })).toBeFocused();
		await expect(page.getByTestId('saved')).not.toContainText('AMINA');

		// Open the match.
		await warning.getByRole('link', { name: 'Open Amina Okello' }).click();
		await expect(page).toHaveURL(`/entities/${first}`);
		await expect(page.getByTestId('entity-name')).toHaveText('Amina Okello');

		// Same national id written differently, another name: still a match; go on and register.
		await go(page, '/register');
		await fillPerson(page, { givenName: 'Esther', familyName: 'Akello', sex: 'female', dateOfBirth: '1992-01-20', nationalId: 'cm850702' });
		await expect(page.getByTestId('duplicates')).toContainText('Same national id');
		await page.getByRole('button', { name: 'This is a different person: register' }).click();
		await expect(page.getByTestId('saved')).toContainText('Esther Akello is registered.');

		// Whole values: a different name with the same date of birth and another id is no match.
		await go(page, '/register');
		await fillPerson(page, { givenName: 'Ann', familyName: 'Oke', sex: 'male', dateOfBirth: '1985-07-02', nationalId: 'CM-8507' });
		await page.getByRole('button', { name: 'Register', exact: true }).click();
		await expect(page.getByTestId('saved')).toContainText('Ann Oke is registered.');
		await expect(page.getByTestId('duplicates')).toHaveCount(0);
	});

	// Issue 20, point 8: a duplicate check slower than the form's 400 ms pause overlaps the check
	// Register starts; its answer, computed after the save, must not warn on the emptied form about
	// the person just saved.
	test('a slow duplicate check answered after the save is dropped, not shown on the emptied form', async ({ page }) => {
		const checks = await slowDuplicateCheck(page, 1500);
		await setUp(page);
		await go(page, '/register');
		// Register is pressed at once, before the form's own delayed check starts (400 ms after the last key).
		await fillPerson(page, { givenName: 'Halima', familyName: 'Waweru', sex: 'female', dateOfBirth: '1991-04-09' });
		await page.getByRole('button', { name: 'Register', exact: true }).click();
		const saved = page.getByTestId('saved');
		await expect(saved).toContainText('Halima Waweru is registered.');
		await expect(page.locator('#reg-givenName')).toHaveValue('');
		// Every check asked so far (Register's, and the form's delayed one if it asked apart) is answered,
		// then the page has had time to show an answer.
		await expect.poll(async () => { const { asked, answered } = await checks(); return asked > 0 && answered === asked; }, { timeout: 15_000 }).toBe(true);
		await page.waitForTimeout(500);
		await expect(page.getByTestId('duplicates')).toHaveCount(0);
		await expect(saved).toBeVisible();
		await expect(page.locator('#reg-givenName')).toHaveValue('');

		// A check still runs, and warns, for what is typed next: the same person again.
		await fillPerson(page, { givenName: 'Halima', familyName: 'Waweru', sex: 'female', dateOfBirth: '1991-04-09' });
		await expect(page.getByTestId('duplicates')).toContainText('Halima Waweru');
		await page.getByRole('button', { name: 'Register', exact: true }).click();
		await expect(page.getByRole('heading', { name: 'This person may already be registered' })).toBeFocused();
		await page.getByTestId('duplicates').getByRole('button', { name: 'This is a different person: register' }).click();
		await expect(saved).toContainText('Halima Waweru is registered.');
		await go(page, '/');
		await expect(page.getByTestId('count-individuals')).toHaveText('2');
	});
});

test('walking skeleton: register, see, reload, see, offline reload, still see', async ({ page, context }) => {
	await setUp(page);
	await waitForServiceWorker(page);
	await registerPerson(page, { givenName: 'Lucy', familyName: 'Apio', sex: 'female', dateOfBirth: '2001-11-30' });
	await go(page, '/entities');
	await expect(page.getByTestId('results')).toContainText('Lucy Apio');

	// The reload starts a locked worker: the gate sends to sign-in, which comes back to the list.
	await page.reload();
	await signIn(page, ADMIN.name, ADMIN.passphrase);
	await expect(page).toHaveURL(/\/entities$/);
	await expect(page.getByTestId('results')).toContainText('Lucy Apio');

	await context.setOffline(true);
	await page.reload();
	await expect(page.getByTestId('connectivity')).toContainText('Offline');
	await signIn(page, ADMIN.name, ADMIN.passphrase);
	await expect(page.getByTestId('results')).toContainText('Lucy Apio');
	await expectAccessible(page);
	await context.setOffline(false);
});
