// Programme-defined forms (issue 16), in Chromium against the production build. Device A: an
// administrator imports XForms as pyxform writes them, sees what was understood (or what is refused
// and where), publishes; a case worker, offline, registers with the form and follows the person up;
// a new version changes new submissions only. A's bundle goes to device B, which shows the same
// record with the same labels. The household survey switches to Arabic, laid out right to left.
// A repeat: members added and removed, each with its own skip logic. axe on every form page.
import { readFile } from 'node:fs/promises';
import { test, expect, type Page } from '@playwright/test';
import { FOLLOW_UP_VISIT, HOUSEHOLD_MEMBERS, HOUSEHOLD_SURVEY, UNSUPPORTED, individualRegistration } from '../unit/core/forms/xforms';
import { ADMIN, expectAccessible, go, setUp, signIn, signOut, slowDuplicateCheck } from './fixtures';

const WORKER = { name: 'Zawadi Njeri', passphrase: 'green mango field lamp' };

async function chooseXForm(page: Page, name: string, xml: string): Promise<void> {
	await page.getByLabel('XForm file (.xml)').setInputFiles({ name, mimeType: 'application/xml', buffer: Buffer.from(xml) });
}

/** Imports and publishes an XForm on the Forms page; `purpose` for a form without an entities declaration. */
async function publish(page: Page, name: string, xml: string, purpose?: string): Promise<void> {
	await go(page, '/forms');
	await chooseXForm(page, name, xml);
	await expect(page.getByTestId('understood')).toBeVisible();
	if (purpose) await page.getByLabel('What a submission does').selectOption({ label: purpose });
	await page.getByRole('button', { name: 'Publish this version' }).click();
	await expect(page.getByTestId('published')).toContainText('is published');
}

async function addCaseWorker(page: Page): Promise<void> {
	await go(page, '/users');
	await page.locator('#add-name').fill(WORKER.name);
	await page.locator('#add-role').selectOption('case-worker');
	await page.locator('#add-secret').fill(WORKER.passphrase);
	await page.locator('#add-repeat').fill(WORKER.passphrase);
	await page.getByRole('button', { name: 'Add user' }).click();
	await expect(page.getByTestId('users-done')).toContainText(`${WORKER.name} was added as`);
}

/** Registers a Diallo on the register page with the programme's registration form `title`. */
async function registerWithForm(page: Page, title: string, label: string, givenName: string, dateOfBirth = '1987-05-02'): Promise<string> {
	await go(page, '/register');
	await page.getByTestId('registration-forms').getByRole('radio', { name: title }).check();
	await expect(page.getByRole('heading', { level: 2, name: title })).toBeVisible();
	await page.getByLabel(label).fill(givenName);
	await page.getByLabel('Family name').fill('Diallo');
	await page.getByRole('radio', { name: 'Female' }).check();
	await page.getByLabel('Date of birth').fill(dateOfBirth);
	await page.getByLabel('Monthly income').fill('120.5');
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	const saved = page.getByTestId('form-saved');
	await expect(saved).toContainText(`${givenName} Diallo`);
	return ((await saved.getByRole('link').getAttribute('href')) ?? '').replace('/entities/', '');
}

test('an administrator publishes forms; a case worker registers and follows up offline; another device shows the same labels', async ({ browser }) => {
	const contextA = await browser.newContext();
	const contextB = await browser.newContext();
	try {
		const a = await contextA.newPage();
		await setUp(a);

		// A form using what Casetrail cannot do is refused, with what and where; nothing is published.
		await go(a, '/forms');
		await expect(a.getByRole('heading', { level: 1, name: 'Forms' })).toBeFocused();
		await expect(a.getByTestId('no-forms')).toBeVisible();
		await expect(a.getByTestId('forms')).toContainText('Individual');
		await expect(a.getByTestId('forms')).toContainText('Built into the app');
		await chooseXForm(a, 'too-much.xml', UNSUPPORTED);
		const refused = a.getByTestId('form-refused');
		await expect(refused).toHaveAttribute('data-code', 'form-unsupported');
		await expect(refused).toContainText('/data/location');
		await expect(refused).toContainText('The question type geotrace is not supported.');
		await expect(refused).toContainText('Repeat counts (repeat_count) are not supported');
		await expect(a.getByRole('button', { name: 'Publish this version' })).toHaveCount(0);
		await expectAccessible(a);

		// What the page understood, before publishing.
		await chooseXForm(a, 'beneficiary.xml', individualRegistration('1'));
		const understood = a.getByTestId('understood');
		await expect(understood).toContainText('Understood: Beneficiary registration');
		await expect(understood.getByTestId('questions')).toContainText('givenName');
		await expect(a.getByLabel('What a submission does')).toHaveValue('register-individual');
		await expectAccessible(a);
		await a.getByRole('button', { name: 'Publish this version' }).click();
		await expect(a.getByTestId('published')).toContainText('Beneficiary registration version 1 is published.');
		await publish(a, 'follow-up.xml', FOLLOW_UP_VISIT, 'Records a visit');
		await publish(a, 'household.xml', HOUSEHOLD_SURVEY);
		await expect(a.getByTestId('forms')).toContainText('Follow-up visit');
		await expectAccessible(a);

		await addCaseWorker(a);
		await signOut(a);
		await signIn(a, WORKER.name, WORKER.passphrase);

		// The case worker works offline: the form is on the device, and so is its validation.
		await contextA.setOffline(true);
		await expect(a.getByTestId('connectivity')).toContainText('Offline');
		// The register page offers the programme's registration forms instead of the built-in one.
		await go(a, '/register');
		await expect(a.getByRole('heading', { level: 1, name: 'Register' })).toBeFocused();
		const offered = a.getByTestId('registration-forms');
		await expect(offered.getByRole('radio')).toHaveCount(2);
		await expect(offered.getByRole('radio', { name: 'Beneficiary registration' })).toBeChecked();
		await expect(offered.getByRole('radio', { name: 'Household survey' })).toBeVisible();
		await expect(a.locator('#reg-givenName')).toHaveCount(0);
		await expectAccessible(a);
		await a.getByRole('button', { name: 'Save', exact: true }).click();
		await expect(a.getByTestId('form-problems')).toBeFocused();
		await expect(a.getByTestId('form-first_name-error')).toHaveText('Please write the given name');
		await expect(a.getByLabel('Given name')).toHaveAttribute('aria-invalid', 'true');
		await a.getByLabel('Date of birth').fill('2999-01-01');
		await a.getByLabel('Date of birth').blur();
		await expect(a.getByTestId('form-dob-error')).toHaveText('Date of birth cannot be in the future');
		await expectAccessible(a);
		const amina = await registerWithForm(a, 'Beneficiary registration', 'Given name', 'Amina');

		// Follow-up from the record: skip logic asks "How are they?" only when the person was seen.
		await go(a, `/entities/${amina}`);
		await expect(a.getByTestId('details')).toContainText('Monthly income');
		await a.getByTestId('follow-ups').getByRole('link', { name: 'Follow-up visit' }).click();
		await expect(a.getByTestId('for-record')).toContainText('Amina Diallo');
		await expect(a.getByLabel('How are they?')).toHaveCount(0);
		await a.getByRole('radio', { name: 'Yes' }).check();
		await a.getByLabel('How are they?').fill('Much better');
		await expectAccessible(a);
		await a.getByRole('button', { name: 'Save', exact: true }).click();
		await expect(a.getByTestId('form-saved')).toBeVisible();

		// Registering her again with the form stops at the duplicate warning, by the mapped properties.
		await go(a, '/forms/fill?form=beneficiary&version=1');
		await a.getByLabel('Given name').fill('Amina');
		await a.getByLabel('Family name').fill('Diallo');
		await a.getByRole('radio', { name: 'Female' }).check();
		await a.getByLabel('Date of birth').fill('1987-05-02');
		await a.getByRole('button', { name: 'Save', exact: true }).click();
		await expect(a.getByTestId('duplicates')).toContainText('Same name and date of birth');
		await expect(a.getByRole('heading', { name: 'This person may already be registered' })).toBeFocused();
		await expect(a.getByTestId('form-saved')).toHaveCount(0);

		// The household survey in Arabic, laid out right to left.
		await go(a, '/forms/fill?form=household_survey&version=2026120101');
		await a.getByLabel('Language').selectOption('Arabic (ar)');
		await expect(a.locator('.xform')).toHaveAttribute('dir', 'rtl');
		await expect(a.locator('.xform')).toHaveAttribute('lang', 'ar');
		await expect(a.getByLabel('اسم رب الأسرة')).toBeVisible();
		await expectAccessible(a);
		await contextA.setOffline(false);

		// A new version changes new submissions only.
		await signOut(a);
		await signIn(a, ADMIN.name, ADMIN.passphrase);
		await publish(a, 'beneficiary-2.xml', individualRegistration('2', 'First name'));
		const awa = await registerWithForm(a, 'Beneficiary registration', 'First name', 'Awa', '1993-08-14');
		await go(a, `/entities/${awa}/history`);
		await expect(a.getByTestId('entry-form')).toContainText('Recorded with Beneficiary registration, version 2');
		await expect(a.getByTestId('trail')).toContainText('First name');
		await go(a, `/entities/${amina}/history`);
		await expect(a.getByTestId('trail')).toContainText('Given name');
		await expect(a.getByTestId('trail')).not.toContainText('First name');

		// Export the whole log.
		await go(a, '/exchange');
		await a.getByLabel('Whole log').check();
		await a.getByRole('button', { name: 'Create bundle' }).click();
		await expect(a.getByTestId('export-ready')).toContainText('Bundle ready');
		const [download] = await Promise.all([a.waitForEvent('download'), a.getByTestId('download').click()]);
		const text = await readFile((await download.path()) as string, 'utf8');

		// Device B imports it and shows the same record with the same labels.
		const b = await contextB.newPage();
		await setUp(b);
		await go(b, '/exchange');
		await b.getByLabel('Bundle file').setInputFiles({ name: download.suggestedFilename(), mimeType: 'application/json', buffer: Buffer.from(text) });
		await b.getByRole('button', { name: 'Import', exact: true }).click();
		await expect(b.getByTestId('imported')).toContainText('Imported:');
		// Publishing a form changes no record, so it is not counted among the events that did not apply.
		await expect(b.getByTestId('imported')).not.toContainText('did not change a record');
		await go(b, '/forms');
		await expect(b.getByTestId('forms')).toContainText('Beneficiary registration');
		await go(b, `/entities/${amina}`);
		await expect(b.getByRole('heading', { level: 1, name: 'Amina Diallo' })).toBeVisible();
		await expect(b.getByTestId('details')).toContainText('Monthly income');
		await expect(b.getByTestId('details')).toContainText('120.5');
		await go(b, `/entities/${amina}/history`);
		const trail = b.getByTestId('trail');
		await expect(trail).toContainText('Recorded with Beneficiary registration, version 1');
		await expect(trail).toContainText('Given name');
		await expect(trail).toContainText('Recorded with Follow-up visit, version 3');
		await expect(b.getByTestId('recorded')).toContainText('Was the person seen?');
		await expect(b.getByTestId('recorded')).toContainText('Much better');
		await expectAccessible(b);
	} finally {
		await contextA.close();
		await contextB.close();
	}
});

test('a household form with a repeat: members added and removed, each asked what fits them, saved as a list', async ({ page }) => {
	await setUp(page);
	await publish(page, 'members.xml', HOUSEHOLD_MEMBERS);
	await go(page, '/forms/fill?form=household_members&version=1');
	await page.getByLabel('Household name').fill('Diallo');
	const first = page.getByTestId('form-members-1');
	await first.getByLabel('Name').fill('Awa');
	await first.getByLabel('Age').fill('40');
	// An adult is not asked about school.
	await expect(first.getByLabel('School')).toHaveCount(0);
	await page.getByRole('button', { name: 'Add to Members' }).click();
	const second = page.getByTestId('form-members-2');
	await expect(second).toBeFocused();
	await second.getByLabel('Name').fill('Nobody');
	await page.getByRole('button', { name: 'Add to Members' }).click();
	const third = page.getByTestId('form-members-3');
	await third.getByLabel('Name').fill('Moussa');
	await third.getByLabel('Age').fill('10');
	await third.getByLabel('School').fill('Primary');
	await expectAccessible(page);
	// Removing the second moves Moussa up, with his answers.
	await page.getByRole('button', { name: 'Remove Members 2' }).click();
	await expect(page.getByTestId('form-members-3')).toHaveCount(0);
	await expect(page.getByTestId('form-members-2').getByLabel('Name')).toHaveValue('Moussa');
	await expect(page.getByTestId('form-members-2').getByLabel('School')).toHaveValue('Primary');
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(page.getByTestId('form-saved')).toContainText('Diallo');
	await page.getByTestId('form-saved').getByRole('link').click();
	const details = page.getByTestId('details');
	await expect(details).toContainText('Members');
	await expect(details).toContainText('Name: Awa, Age: 40, is_child: no; Name: Moussa, Age: 10, is_child: yes, School: Primary');
	await expectAccessible(page);
});

// Issue 20, point 8, for programme forms: a duplicate check's answer is for the answers it was given.
test("a programme form's slow duplicate check: typed into meanwhile, its answer is dropped and nothing is saved; a warning goes when its answers change", async ({ page }) => {
	await slowDuplicateCheck(page, 1500);
	await setUp(page);
	await publish(page, 'beneficiary.xml', individualRegistration('1'));
	await go(page, '/register');
	await expect(page.getByTestId('registration-forms')).toContainText('Form: Beneficiary registration, version 1');

	async function fill(givenName: string): Promise<void> {
		await page.getByLabel('Given name').fill(givenName);
		await page.getByLabel('Family name').fill('Diallo');
		await page.getByRole('radio', { name: 'Female' }).check();
		await page.getByLabel('Date of birth').fill('1987-05-02');
	}
	await fill('Amina');
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(page.getByTestId('form-saved')).toContainText('Amina Diallo');

	// The same person again; while the check runs, the given name is changed: the check's answer
	// (about Amina) is dropped, nothing is saved, and the page says to save again.
	await fill('Amina');
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(page.getByRole('button', { name: 'Saving…' })).toBeVisible();
	await page.getByLabel('Given name').fill('Fatou');
	await expect(page.getByTestId('form-changed')).toContainText('The answers changed while they were being checked');
	await expect(page.getByTestId('duplicates')).toHaveCount(0);
	await expect(page.getByTestId('form-saved')).toHaveCount(0);
	await expect(page.getByLabel('Given name')).toHaveValue('Fatou');
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(page.getByTestId('form-saved')).toContainText('Fatou Diallo');

	// A warning is for the answers it was found for: changing one of them takes it away, so
	// "register anyway" can only save what was checked.
	await fill('Amina');
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(page.getByTestId('duplicates')).toContainText('Same name and date of birth');
	await expectAccessible(page);
	await page.getByLabel('Family name').fill('Sow');
	await expect(page.getByTestId('duplicates')).toHaveCount(0);
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(page.getByTestId('form-saved')).toContainText('Amina Sow');
	await go(page, '/');
	await expect(page.getByTestId('count-individuals')).toHaveText('3');
});
