// Finding and changing records (issue 5): search as you type with filters and sorting, editing that
// records only the changed fields with a reason, deleting with a confirmation and a reason,
// assigning a case worker (who then opens the record and is not offered supervisor pages), the audit
// trail with time travel, and a second tab that refreshes when the first one records a change.
import { test, expect, type Page } from '@playwright/test';
import { ADMIN, expectAccessible, go, registerPerson, setUp, signIn, signOut } from './fixtures';

async function results(page: Page): Promise<string[]> {
	return page.getByTestId('results').getByRole('link').allInnerTexts();
}

test('the list searches as you type, filters by type and deleted, and sorts', async ({ page }) => {
	await setUp(page);
	const grace = await registerPerson(page, { givenName: 'Grace', familyName: 'Auma', sex: 'female', dateOfBirth: '1990-03-14', nationalId: 'GA-771' });
	await registerPerson(page, { givenName: 'Peter', familyName: 'Ojok', sex: 'male', dateOfBirth: '1975-10-02' });
	await registerPerson(page, { givenName: 'Gloria', familyName: 'Acen', sex: 'female', dateOfBirth: '2004-12-24' });
	await go(page, '/households/new');
	await page.getByLabel('Household name').fill('Ojok household');
	await page.getByRole('button', { name: 'Create household' }).click();
	await expect(page.getByTestId('entity-name')).toHaveText('Ojok household');

	await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People & households' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'People & households' })).toBeFocused();
	await expect(page.getByTestId('result-count')).toHaveText('4 records found.');
	expect(await results(page)).toEqual(['Gloria Acen', 'Grace Auma', 'Ojok household', 'Peter Ojok']);
	await expectAccessible(page);

	const search = page.getByLabel('Search by name or id');
	await search.pressSequentially('gr', { delay: 50 });
	await expect.poll(() => results(page)).toEqual(['Grace Auma']);
	await search.fill('ojok');
	await expect.poll(() => results(page)).toEqual(['Ojok household', 'Peter Ojok']);
	await page.getByLabel('Type').selectOption('group');
	await expect.poll(() => results(page)).toEqual(['Ojok household']);
	await expect(page).toHaveURL(/q=ojok/);
	await page.getByLabel('Type').selectOption('');
	await search.fill('ga771');
	await expect.poll(() => results(page)).toEqual(['Grace Auma']);
	await search.fill('nobody');
	await expect(page.getByTestId('result-count')).toHaveText('No record matches. Check the spelling, or change the filters.');

	// Delete one (from its page), then filter on deleted.
	await go(page, `/entities/${grace}`);
	await page.getByRole('button', { name: 'Delete' }).click();
	const dialog = page.getByTestId('delete-dialog');
	await dialog.getByLabel('Reason').fill('Registered twice');
	await dialog.getByRole('button', { name: 'Delete record' }).click();
	await expect(page.getByTestId('deleted-notice')).toBeVisible();

	await go(page, '/entities');
	await search.fill('');
	await expect.poll(() => results(page)).toEqual(['Gloria Acen', 'Ojok household', 'Peter Ojok']);
	await page.getByLabel('Deleted records').selectOption('only');
	await expect.poll(() => results(page)).toEqual(['Grace Auma']);
	await page.getByLabel('Deleted records').selectOption('include');
	await page.getByLabel('Sort by').selectOption('lastUpdated');
	// Newest change first: Grace was just deleted, the household was created after the others.
	await expect.poll(() => results(page)).toEqual(['Grace Auma', 'Ojok household', 'Gloria Acen', 'Peter Ojok']);
	await expectAccessible(page);
});

test('editing records only the changed fields with a reason; deleting asks for confirmation and a reason', async ({ page }) => {
	await setUp(page);
	const guid = await registerPerson(page, { givenName: 'Sarah', familyName: 'Lamwaka', sex: 'female', dateOfBirth: '1988-04-12', phone: '0772 000 111' });
	await go(page, `/entities/${guid}`);

	await page.getByRole('button', { name: 'Edit' }).click();
	const form = page.getByTestId('edit-form');
	await form.getByLabel('Phone').fill('0772 999 888');
	await form.getByRole('button', { name: 'Save changes' }).click();
	await expect(page.getByTestId('edit-reason-error')).toHaveText('Reason is required.');
	await expect(page.locator('#edit-reason')).toBeFocused();
	await expectAccessible(page);
	await page.locator('#edit-reason').fill('She has a new number');
	await form.getByRole('button', { name: 'Save changes' }).click();
	await expect(page.getByTestId('notice')).toHaveText('The changes are saved.');
	await expect(page.getByTestId('notice')).toBeFocused();
	await expect(page.getByTestId('details')).toContainText('0772 999 888');

	// The update event carries the phone only, and the reason.
	await page.getByRole('link', { name: 'History and time travel' }).click();
	const newest = page.getByTestId('trail').getByRole('listitem').first();
	await expect(newest).toContainText('Details changed');
	await expect(newest).toContainText('Reason: She has a new number');
	await expect(newest.getByRole('row')).toHaveCount(2);
	await expect(newest.getByRole('row').nth(1)).toContainText('Phone0772 000 1110772 999 888');
	await newest.getByRole('link', { name: 'Inspect event' }).click();
	const canonical = page.getByTestId('canonical');
	await expect(canonical).toContainText('"data":{"phone":"0772 999 888"}');
	await expect(canonical).toContainText('"reason":"She has a new number"');

	// Delete: cancel first, then confirm with a reason; the record stays, marked deleted.
	await go(page, `/entities/${guid}`);
	await page.getByRole('button', { name: 'Delete' }).click();
	const dialog = page.getByTestId('delete-dialog');
	await expect(dialog.getByLabel('Reason')).toBeFocused();
	await dialog.getByRole('button', { name: 'Cancel' }).click();
	await expect(dialog).toBeHidden();
	await expect(page.getByTestId('deleted-notice')).toHaveCount(0);
	await page.getByRole('button', { name: 'Delete' }).click();
	await dialog.getByRole('button', { name: 'Delete record' }).click();
	await expect(dialog).toContainText('Reason is required.');
	await dialog.getByLabel('Reason').fill('Left the programme');
	await dialog.getByRole('button', { name: 'Delete record' }).click();
	await expect(page.getByTestId('notice')).toHaveText('The record is marked deleted.');
	await expect(page.getByTestId('deleted-notice')).toBeVisible();
	await expect(page.getByRole('button', { name: 'Edit' })).toHaveCount(0);
	await expectAccessible(page);
});

test('assigning a case worker records it on the record and in its history', async ({ page }) => {
	await setUp(page);
	const guid = await registerPerson(page, { givenName: 'Joseph', familyName: 'Komakech', sex: 'male', dateOfBirth: '1969-02-28' });
	await go(page, `/entities/${guid}`);
	await expect(page.getByTestId('case-worker')).toHaveText('Not assigned to a case worker.');
	await page.getByRole('button', { name: 'Assign' }).click();
	await expect(page.getByTestId('assign-worker-error')).toHaveText('Case worker is required.');
	await page.getByLabel('Assign to').selectOption({ label: 'Ada Admin (Administrator)' });
	await page.locator('#assign-reason').fill('Lives in her parish');
	await page.getByRole('button', { name: 'Assign' }).click();
	await expect(page.getByTestId('notice')).toHaveText('Assigned to Ada Admin.');
	await expect(page.getByTestId('case-worker')).toContainText('Assigned to Ada Admin since');
	await expectAccessible(page);
	await page.getByRole('link', { name: 'History and time travel' }).click();
	const newest = page.getByTestId('trail').getByRole('listitem').first();
	await expect(newest).toContainText('Case worker assigned');
	await expect(newest).toContainText('Reason: Lives in her parish');
	await expect(newest.getByRole('row', { name: /Case worker/ })).toContainText('—Ada Admin');
	await expect(newest).toContainText('Recorded by: Ada Admin');
});

test('history shows who changed what and why; time travel shows the past with the differences', async ({ page }) => {
	await setUp(page);
	const guid = await registerPerson(page, { givenName: 'Alice', familyName: 'Adong', sex: 'female', dateOfBirth: '1995-06-30', address: 'Kitgum' });
	await go(page, `/entities/${guid}`);
	await page.getByRole('button', { name: 'Edit' }).click();
	await page.getByTestId('edit-form').getByLabel('Given name').fill('Alicia');
	await page.getByTestId('edit-form').getByLabel('Village or address').fill('');
	await page.locator('#edit-reason').fill('Spelling corrected; moved away');
	await page.getByRole('button', { name: 'Save changes' }).click();
	await expect(page.getByTestId('entity-name')).toHaveText('Alicia Adong');

	await page.getByRole('link', { name: 'History and time travel' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'History of Alicia Adong' })).toBeFocused();
	const entries = page.getByTestId('trail').getByRole('listitem');
	await expect(entries).toHaveCount(2);
	await expect(entries.nth(0)).toContainText('Recorded by');
	await expect(entries.nth(0).getByRole('row', { name: /Given name/ })).toContainText('AliceAlicia');
	await expect(entries.nth(0).getByRole('row', { name: /Village or address/ })).toContainText('Kitgum—');
	await expect(entries.nth(1)).toContainText('Registered');
	await expect(entries.nth(1)).toContainText('No reason given.');
	await expectAccessible(page);

	// Right after the registration: the old given name and address, both marked as differing.
	await entries.nth(1).getByRole('button', { name: 'See the record as it was after this' }).click();
	const travel = page.getByTestId('time-travel');
	await expect(travel.getByRole('heading')).toBeFocused();
	await expect(page.getByTestId('differ-count')).toHaveText('2 fields differ from today (highlighted).');
	const given = travel.getByRole('row', { name: /Given name/ });
	await expect(given).toHaveAttribute('data-differs', 'true');
	await expect(given).toContainText('(differs)AliceAlicia');
	await expect(travel.getByRole('row', { name: /Family name/ })).toHaveAttribute('data-differs', 'false');
	await expectAccessible(page);

	// An instant before the record existed.
	await page.getByLabel('Date and time').fill('2020-01-01T10:00:00');
	await page.getByRole('button', { name: 'Show' }).click();
	await expect(travel).toContainText('The record did not exist yet at that moment.');
	// And now: nothing differs.
	const now = new Date(Date.now() + 60_000);
	const local = new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
	await page.getByLabel('Date and time').fill(local);
	await page.getByRole('button', { name: 'Show' }).click();
	await expect(page.getByTestId('differ-count')).toHaveText('Nothing differs from today.');
});

test('a second tab shows what the first one records', async ({ page, context }) => {
	await setUp(page);
	await go(page, '/entities');
	const other = await context.newPage();
	// Each tab has its own worker, and so its own session.
	await signIn(other, ADMIN.name, ADMIN.passphrase);
	await go(other, '/entities');
	await expect(other.getByTestId('result-count')).toHaveText('No record matches. Check the spelling, or change the filters.');

	await registerPerson(page, { givenName: 'Moses', familyName: 'Odongo', sex: 'male', dateOfBirth: '1999-09-09' });
	await expect(other.getByTestId('results')).toContainText('Moses Odongo');
});

test('a record assigned to a case worker opens for them; supervisor pages are not offered to them', async ({ page }) => {
	await setUp(page);
	const assigned = await registerPerson(page, { givenName: 'Rose', familyName: 'Atim', sex: 'female', dateOfBirth: '1977-08-08' });
	await registerPerson(page, { givenName: 'Kenneth', familyName: 'Obol', sex: 'male', dateOfBirth: '1981-03-03' });

	// Add a case worker on the administrator's Users page.
	await go(page, '/users');
	await page.locator('#add-name').fill('Ben Mwangi');
	await page.locator('#add-role').selectOption('case-worker');
	await page.locator('#add-secret').fill('blue river tea garden');
	await page.locator('#add-repeat').fill('blue river tea garden');
	await page.getByRole('button', { name: 'Add user' }).click();
	await expect(page.getByTestId('users-done')).toContainText('Ben Mwangi was added as');

	await go(page, `/entities/${assigned}`);
	await page.getByLabel('Assign to').selectOption({ label: 'Ben Mwangi (Case worker)' });
	await page.getByRole('button', { name: 'Assign' }).click();
	await expect(page.getByTestId('case-worker')).toContainText('Assigned to Ben Mwangi since');

	await signOut(page);
	await signIn(page, 'Ben Mwangi', 'blue river tea garden');
	const nav = page.getByRole('navigation', { name: 'Main' });
	await expect(nav.getByRole('link', { name: 'Integrity' })).toHaveCount(0);
	await expect(nav.getByRole('link', { name: 'Metrics' })).toHaveCount(0);
	await go(page, '/entities');
	await expect.poll(() => results(page)).toEqual(['Rose Atim']);
	await go(page, '/integrity');
	await page.getByRole('button', { name: 'Check the whole log' }).click();
	await expect(page.getByTestId('error')).toHaveAttribute('data-code', 'forbidden');
	await expect(page.getByTestId('error')).toContainText('A case worker cannot run the integrity check.');
	await expectAccessible(page);
	// The log shows the events of the records they may see, and they open in the inspector.
	await go(page, '/events');
	const rows = page.getByTestId('log').getByRole('row');
	await expect(rows).toHaveCount(3);
	await rows.nth(2).getByRole('link', { name: 'Registered' }).click();
	await page.getByRole('button', { name: 'Verify in this browser' }).click();
	await expect(page.getByTestId('verify-result')).toHaveAttribute('data-outcome', 'verified');
});
