// Households (issue 5): create one, add a person already registered by searching, register a new
// member inline with the household's address and family name filled in, roles, remove a member
// with a reason; the individual's page lists their households; 100 members stay usable.
import { test, expect } from '@playwright/test';
import { expectAccessible, fillPerson, go, registerPerson, setUp } from './fixtures';

async function createHousehold(page: import('@playwright/test').Page, name: string, address: string): Promise<void> {
	if (!page.url().endsWith('/households/new')) await go(page, '/households/new');
	await page.getByLabel('Household name').fill(name);
	await page.getByLabel('Village or address').fill(address);
	await page.getByRole('button', { name: 'Create household' }).click();
	await expect(page.getByTestId('entity-name')).toHaveText(name);
}

test('a household: create, add by search, register inline pre-filled, remove with a reason', async ({ page }) => {
	await setUp(page);
	const head = await registerPerson(page, { givenName: 'Amina', familyName: 'Okello', sex: 'female', dateOfBirth: '1980-05-01' });

	// Creating without a name says so beside the field.
	await go(page, '/households/new');
	await expect(page.getByRole('heading', { level: 1, name: 'Create a household' })).toBeFocused();
	await page.getByRole('button', { name: 'Create household' }).click();
	await expect(page.getByTestId('group-name-error')).toHaveText('Name is required.');
	await expectAccessible(page);

	await createHousehold(page, 'Okello household', 'Layibi, Gulu');
	const members = page.getByTestId('members');
	await expect(members).toContainText('No members yet.');
	await expectAccessible(page);

	// Add by search: the role is asked for first.
	await members.getByLabel('Search by name or id').fill('amin');
	const results = page.getByTestId('member-search-results');
	await expect(results).toContainText('Amina Okello, 1 May 1980');
	await results.getByRole('button', { name: 'Add Amina Okello' }).click();
	await expect(page.getByTestId('add-role-error')).toHaveText('Choose the role of the person in the household first.');
	await members.getByLabel('Role').first().selectOption('head');
	await results.getByRole('button', { name: 'Add Amina Okello' }).click();
	await expect(page.getByTestId('members-notice')).toHaveText('Amina Okello was added as Head.');
	await expect(page.getByTestId('members-notice')).toBeFocused();
	await expect(members.getByRole('link', { name: 'Amina Okello' })).toBeVisible();

	// Register a new member inline: address and family name come from the household.
	await expect(page.locator('#member-familyName')).toHaveValue('Okello');
	await expect(page.locator('#member-address')).toHaveValue('Layibi, Gulu');
	await fillPerson(page, { givenName: 'Brian', familyName: 'Okello', sex: 'male', dateOfBirth: '2012-09-10' }, 'member');
	await page.locator('#member-role').selectOption('child');
	await page.getByRole('button', { name: 'Register a new member' }).click();
	await expect(page.getByTestId('members-notice')).toHaveText('Brian Okello was added as Child.');
	await expect(members.getByRole('heading', { name: /Members/ })).toContainText('2 members');

	// Remove with a reason, in a dialog.
	await members.getByRole('button', { name: 'Remove Amina Okello' }).click();
	const dialog = page.getByTestId('remove-member');
	await expect(dialog).toBeVisible();
	await expect(dialog.getByLabel('Reason')).toBeFocused();
	await expectAccessible(page);
	await dialog.getByRole('button', { name: 'Remove member' }).click();
	await expect(dialog).toContainText('Reason is required.');
	await dialog.getByLabel('Reason').fill('Moved to her own household');
	await dialog.getByRole('button', { name: 'Remove member' }).click();
	await expect(dialog).toBeHidden();
	await expect(page.getByTestId('members-notice')).toHaveText('Amina Okello was removed from the household.');
	await expect(members.getByRole('link', { name: 'Amina Okello' })).toHaveCount(0);

	// The individual's page lists the households they belong to now.
	await members.getByRole('link', { name: 'Brian Okello' }).click();
	await expect(page.getByTestId('entity-name')).toHaveText('Brian Okello');
	await expect(page.getByTestId('member-of')).toContainText('Okello household as Child');
	await go(page, `/entities/${head}`);
	await expect(page.getByText('Not a member of any household.')).toBeVisible();
});

test('a household of 100 members stays usable', async ({ page }) => {
	test.setTimeout(180_000);
	await setUp(page);
	await createHousehold(page, 'Large household', 'Pader');
	const household = page.url();
	for (let i = 0; i < 100; i++) {
		// Similar names with one date of birth would (rightly) stop at the duplicate warning: one date each.
		const dateOfBirth = new Date(Date.UTC(2000, 0, 1 + i)).toISOString().slice(0, 10);
		await fillPerson(page, { givenName: `Member${String(i).padStart(3, '0')}`, familyName: 'Large', sex: i % 2 ? 'male' : 'female', dateOfBirth }, 'member');
		await page.locator('#member-role').selectOption(i === 0 ? 'head' : 'other');
		await page.getByRole('button', { name: 'Register a new member' }).click();
		await expect(page.getByTestId('members-notice')).toHaveText(`Member${String(i).padStart(3, '0')} Large was added as ${i === 0 ? 'Head' : 'Other'}.`);
	}
	await expect(page.getByTestId('members').getByRole('heading', { name: /Members/ })).toContainText('100 members');
	expect(page.url()).toBe(household);

	// Opening the household again lists every member quickly.
	const started = Date.now();
	await go(page, '/entities');
	await go(page, new URL(household).pathname);
	await expect(page.getByTestId('members').getByRole('listitem')).toHaveCount(100);
	expect(Date.now() - started).toBeLessThan(5000);
	await expectAccessible(page);

	// The list pages 50 at a time: 101 records are the household and 100 people.
	await go(page, '/entities');
	await expect(page.getByTestId('result-count')).toHaveText('Showing the first 50 records.');
	await page.getByRole('button', { name: 'Load more' }).click();
	await expect(page.getByTestId('result-count')).toHaveText('Showing the first 100 records.');
	await page.getByRole('button', { name: 'Load more' }).click();
	await expect(page.getByTestId('result-count')).toHaveText('101 records found.');
	await expect(page.getByRole('button', { name: 'Load more' })).toHaveCount(0);
	await expect(page.getByTestId('results').getByRole('listitem')).toHaveCount(101);
});
