// Issue 15: each role is offered only what it may do, and a record a case worker may not open shows
// on their pages as "Not visible to you", never its content.
import { readFile } from 'node:fs/promises';
import { test, expect } from '@playwright/test';
import { expectAccessible, go, registerPerson, setUp, signIn, signOut } from './fixtures';

const BEN = { name: 'Ben Mwangi', passphrase: 'blue river tea garden' };

test("a case worker's pages offer only their actions: no Delete, no Assign form, no Create bundle or Import; a household member they may not open reads 'Not visible to you'", async ({ page }) => {
	await setUp(page);
	const rose = await registerPerson(page, { givenName: 'Rose', familyName: 'Atim', sex: 'female', dateOfBirth: '1977-08-08' });
	const kenneth = await registerPerson(page, { givenName: 'Kenneth', familyName: 'Obol', sex: 'male', dateOfBirth: '1981-03-03' });

	await go(page, '/users');
	await page.locator('#add-name').fill(BEN.name);
	await page.locator('#add-role').selectOption('case-worker');
	await page.locator('#add-secret').fill(BEN.passphrase);
	await page.locator('#add-repeat').fill(BEN.passphrase);
	await page.getByRole('button', { name: 'Add user' }).click();
	await expect(page.getByTestId('users-done')).toContainText(`${BEN.name} was added as`);

	// A household with Rose and Kenneth; Rose and the household are Ben's, Kenneth is not.
	await go(page, '/households/new');
	await page.getByLabel('Household name').fill('Atim household');
	await page.getByRole('button', { name: 'Create household' }).click();
	await expect(page.getByTestId('entity-name')).toHaveText('Atim household');
	const household = new URL(page.url()).pathname.split('/').pop() as string;
	const members = page.getByTestId('members');
	await members.getByLabel('Role').first().selectOption('head');
	for (const [guid, name] of [
		[rose, 'Rose Atim'],
		[kenneth, 'Kenneth Obol']
	] as const) {
		await members.getByLabel('Search by name or id').fill(name.split(' ')[0] as string);
		await page.getByTestId('member-search-results').getByRole('button', { name: `Add ${name}` }).click();
		await expect(members.getByRole('link', { name })).toHaveAttribute('href', `/entities/${guid}`);
		await members.getByLabel('Role').first().selectOption('other');
	}
	for (const guid of [household, rose]) {
		await go(page, `/entities/${guid}`);
		await page.getByLabel('Assign to').selectOption({ label: `${BEN.name} (Case worker)` });
		await page.getByRole('button', { name: 'Assign' }).click();
		await expect(page.getByTestId('case-worker')).toContainText(`Assigned to ${BEN.name} since`);
	}
	// The administrator is offered what the case worker is not; their bundle is what Ben verifies below.
	await expect(page.getByRole('button', { name: 'Delete', exact: true })).toBeVisible();
	await go(page, '/exchange');
	await page.getByRole('button', { name: 'Create bundle' }).click();
	const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download').click()]);
	const bundle = await readFile((await download.path()) as string, 'utf8');

	await signOut(page);
	await signIn(page, BEN.name, BEN.passphrase);

	await go(page, `/entities/${rose}`);
	await expect(page.getByTestId('entity-name')).toHaveText('Rose Atim');
	await expect(page.getByRole('button', { name: 'Edit' })).toBeVisible();
	await expect(page.getByTestId('case-worker')).toContainText(`Assigned to ${BEN.name} since`);
	await expect(page.getByRole('button', { name: 'Delete', exact: true })).toHaveCount(0);
	await expect(page.getByLabel('Assign to')).toHaveCount(0);
	await expect(page.getByRole('button', { name: 'Assign' })).toHaveCount(0);
	await expectAccessible(page);

	await go(page, `/entities/${household}`);
	await expect(page.getByTestId('entity-name')).toHaveText('Atim household');
	await expect(members.getByRole('link', { name: 'Rose Atim' })).toBeVisible();
	await expect(members).toContainText('Not visible to you');
	await expect(members).not.toContainText('Kenneth');
	await expect(page.getByRole('button', { name: 'Delete', exact: true })).toHaveCount(0);
	await expectAccessible(page);

	await go(page, '/exchange');
	await expect(page.getByRole('heading', { level: 1, name: 'Exchange' })).toBeVisible();
	await expect(page.getByRole('button', { name: 'Create bundle' })).toHaveCount(0);
	// Verifying is theirs; importing is not.
	await page.getByLabel('Bundle file').setInputFiles({ name: 'bundle.json', mimeType: 'application/json', buffer: Buffer.from(bundle) });
	await expect(page.getByTestId('bundle-summary')).toBeVisible();
	await expect(page.getByRole('button', { name: 'Import' })).toHaveCount(0);
	await expectAccessible(page);
});
