// Bundle exchange between two devices (issue 7), in Chromium against the production build: device A
// (one browser context, its own IndexedDB and key) registers people and exports a bundle; device B
// (a second context) verifies it, sees the summary before importing, imports it and shows the same
// people; then B refuses a tampered copy of A's bundle and says why. axe on the exchange page.
import { readFile } from 'node:fs/promises';
import { test, expect, type Page } from '@playwright/test';
import { expectAccessible, go, registerPerson, setUp, type Person } from './fixtures';

const PEOPLE: Person[] = [
	{ givenName: 'Amina', familyName: 'Diallo', sex: 'female', dateOfBirth: '1987-05-02', address: 'Kébémer' },
	{ givenName: 'Bakary', familyName: 'Sow', sex: 'male', dateOfBirth: '1979-11-20' }
];

async function chooseBundle(page: Page, name: string, text: string): Promise<void> {
	await page.getByLabel('Bundle file').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
}

test('device A exports; device B verifies, imports, shows the same people and refuses a tampered bundle', async ({ browser }) => {
	const contextA = await browser.newContext();
	const contextB = await browser.newContext();
	try {
		// Device A: register two people, export the whole log, download the file.
		const a = await contextA.newPage();
		await setUp(a);
		for (const person of PEOPLE) await registerPerson(a, person);
		await go(a, '/exchange');
		await expect(a.getByRole('heading', { level: 1, name: 'Exchange' })).toBeFocused();
		await expect(a.getByTestId('export-status')).toContainText('2 events on this device.');
		await expectAccessible(a);
		await a.getByLabel('Whole log').check();
		await a.getByRole('button', { name: 'Create bundle' }).click();
		await expect(a.getByTestId('export-ready')).toContainText('Bundle ready: 2 events');
		await expect(a.getByTestId('export-result')).toBeFocused();
		const [download] = await Promise.all([a.waitForEvent('download'), a.getByTestId('download').click()]);
		const fileName = download.suggestedFilename();
		expect(fileName).toMatch(/^casetrail-[A-Za-z0-9_-]{8}-2\.json$/);
		const text = await readFile((await download.path()) as string, 'utf8');
		await expect(a.getByTestId('export-status')).toContainText('Every event on this device is in an export.');
		await expectAccessible(a);

		// A's device id in settings is the one in the file name.
		await go(a, '/settings');
		const deviceId = (await a.getByTestId('device-id').textContent())?.trim() ?? '';
		expect(fileName).toBe(`casetrail-${deviceId.slice(0, 8)}-2.json`);

		// Device B: verify first (nothing imported yet), then import.
		const b = await contextB.newPage();
		await setUp(b);
		await go(b, '/exchange');
		await chooseBundle(b, fileName, text);
		const summary = b.getByTestId('bundle-summary');
		await expect(summary).toContainText('Valid: this bundle is complete');
		await expect(b.getByTestId('summary-device')).toHaveText(deviceId);
		await expect(b.getByTestId('summary-events')).toHaveText('2');
		await expect(b.getByTestId('summary-entities')).toHaveText('2');
		await expect(summary).toContainText('A device not seen before');
		await expectAccessible(b);
		await go(b, '/');
		await expect(b.getByTestId('count-individuals')).toHaveText('0');

		await go(b, '/exchange');
		await chooseBundle(b, fileName, text);
		await b.getByRole('button', { name: 'Import', exact: true }).click();
		const imported = b.getByTestId('imported');
		await expect(imported).toContainText('Imported: 2 events added.');
		await expect(b.getByTestId('import-result')).toBeFocused();
		await expect(b.getByTestId('device')).toHaveCount(1);
		await expect(b.getByTestId('device')).toContainText(deviceId);
		await expectAccessible(b);

		// B shows the same people.
		await go(b, '/');
		await expect(b.getByTestId('count-individuals')).toHaveText('2');
		await go(b, '/entities');
		const results = b.getByTestId('results');
		for (const person of PEOPLE) await expect(results).toContainText(`${person.givenName} ${person.familyName}`);

		// A tampered copy of A's bundle is refused, with the reason in plain words.
		const tampered = JSON.parse(text) as { events: { data: Record<string, unknown> }[] };
		tampered.events[0]!.data['givenName'] = 'Mallory';
		await go(b, '/exchange');
		await chooseBundle(b, fileName, JSON.stringify(tampered));
		const refused = b.getByTestId('bundle-invalid');
		await expect(refused).toHaveAttribute('data-code', 'root-mismatch');
		await expect(refused).toHaveAttribute('role', 'alert');
		await expect(refused).toContainText('This bundle cannot be trusted');
		await expect(refused).toContainText('The events were changed after the bundle was signed.');
		await expect(b.getByRole('button', { name: 'Import', exact: true })).toHaveCount(0);
		await expectAccessible(b);
		await go(b, '/');
		await expect(b.getByTestId('count-events')).toHaveText('2');
	} finally {
		await contextA.close();
		await contextB.close();
	}
});

test('the exchange page gives the tables of the records the user sees as CSV files and an Excel workbook', async ({ page }) => {
	await setUp(page);
	for (const person of PEOPLE) await registerPerson(page, person);
	await go(page, '/exchange');
	await page.getByRole('button', { name: 'Prepare tables' }).click();
	const files = page.getByTestId('table-files');
	await expect(files.getByRole('link')).toHaveText(['individuals.csv (2 rows)', 'households.csv (0 rows)', 'members.csv (0 rows)', 'audit_trail.csv (2 rows)']);
	await expectAccessible(page);

	const [csv] = await Promise.all([page.waitForEvent('download'), files.getByRole('link', { name: /^individuals\.csv/ }).click()]);
	expect(csv.suggestedFilename()).toBe('individuals.csv');
	const text = await readFile((await csv.path()) as string, 'utf8');
	expect(text.startsWith('\uFEFFguid,version,deleted,created_at,last_updated,case_worker,assignment_date,')).toBe(true);
	expect(text).toContain('Kébémer');

	await page.getByRole('button', { name: 'Make an Excel workbook' }).click();
	const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('workbook').click()]);
	expect(xlsx.suggestedFilename()).toBe('casetrail-tables.xlsx');
	const bytes = await readFile((await xlsx.path()) as string);
	expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
	await expectAccessible(page);
});
