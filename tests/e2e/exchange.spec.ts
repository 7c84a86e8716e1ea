// Bundle exchange between two devices (issue 7), in Chromium against the production build: device A
// (one browser context, its own IndexedDB and key) registers people and exports a bundle; device B
// (a second context) verifies it, sees the summary before importing, imports it and shows the same
// people; then B refuses a tampered copy of A's bundle and says why. axe on the exchange page.
// Issue 14: the bundles are version 2, the second export proves it extends the first, and a device
// that rewrites events across a gap is refused in the browser.
import { readFile } from 'node:fs/promises';
import { test, expect, type Page } from '@playwright/test';
import { buildBundleFrom } from '../../src/lib/core/bundle/build';
import { generateDeviceKeys } from '../../src/lib/core/bundle/checkpoint';
import type { CasetrailEvent } from '../../src/lib/core/event';
import { ADMIN, expectAccessible, go, registerPerson, setUp, type Person } from './fixtures';

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
		// The two registrations and the description of Ada Admin (name and role) the export records.
		await expect(a.getByTestId('export-ready')).toContainText('Bundle ready: 3 events');
		await expect(a.getByTestId('export-result')).toBeFocused();
		const [download] = await Promise.all([a.waitForEvent('download'), a.getByTestId('download').click()]);
		const fileName = download.suggestedFilename();
		expect(fileName).toMatch(/^casetrail-[A-Za-z0-9_-]{8}-3\.json$/);
		const text = await readFile((await download.path()) as string, 'utf8');
		expect(JSON.parse(text)).toMatchObject({ version: 2, consistency: [] });
		await expect(a.getByTestId('export-status')).toContainText('Every event on this device is in an export.');
		await expectAccessible(a);

		// A's device id in settings is the one in the file name.
		await go(a, '/settings');
		const deviceId = (await a.getByTestId('device-id').textContent())?.trim() ?? '';
		expect(fileName).toBe(`casetrail-${deviceId.slice(0, 8)}-3.json`);

		// Device B: verify first (nothing imported yet), then import.
		const b = await contextB.newPage();
		await setUp(b);
		await go(b, '/exchange');
		await chooseBundle(b, fileName, text);
		const summary = b.getByTestId('bundle-summary');
		await expect(summary).toContainText('Valid: this bundle is complete');
		await expect(b.getByTestId('summary-device')).toHaveText(deviceId);
		await expect(b.getByTestId('summary-events')).toHaveText('3');
		await expect(b.getByTestId('summary-entities')).toHaveText('2');
		await expect(summary).toContainText('A device not seen before');
		await expect(b.getByTestId('summary-version')).toHaveText('version 2');
		await expectAccessible(b);
		await go(b, '/');
		await expect(b.getByTestId('count-individuals')).toHaveText('0');

		await go(b, '/exchange');
		await chooseBundle(b, fileName, text);
		await b.getByRole('button', { name: 'Import', exact: true }).click();
		const imported = b.getByTestId('imported');
		await expect(imported).toContainText('Imported: 3 events added.');
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
		await expect(b.getByTestId('count-events')).toHaveText('3');

		// A registers a third person and exports since the last export: the version 2 bundle proves
		// that it extends the first one, and B imports it. Nobody changed: no user is described again.
		await registerPerson(a, { givenName: 'Coumba', familyName: 'Ndiaye', sex: 'female', dateOfBirth: '1995-03-14' });
		await go(a, '/exchange');
		await a.getByLabel('Since the last export').check();
		await a.getByRole('button', { name: 'Create bundle' }).click();
		await expect(a.getByTestId('export-ready')).toContainText('Bundle ready: 1 event');
		const [second] = await Promise.all([a.waitForEvent('download'), a.getByTestId('download').click()]);
		const secondText = await readFile((await second.path()) as string, 'utf8');
		const secondBundle = JSON.parse(secondText) as { version: number; log: { from: number }; consistency: { treeSize: number }[] };
		expect(secondBundle.version).toBe(2);
		expect(secondBundle.log.from).toBe(3);
		expect(secondBundle.consistency.map((c) => c.treeSize)).toEqual([3]);
		await go(b, '/exchange');
		await chooseBundle(b, second.suggestedFilename(), secondText);
		await expect(b.getByTestId('bundle-summary')).toContainText('A device seen before');
		await b.getByRole('button', { name: 'Import', exact: true }).click();
		await expect(b.getByTestId('imported')).toContainText('Imported: 1 event added.');
	} finally {
		await contextA.close();
		await contextB.close();
	}
});

// Issue 15, point 8: user names travel in the bundle (describe-user events), so the importing device
// names who recorded an imported event, as the exporting device's claim, on every page that says who.
test('device B names who recorded the events it imported from device A, with A’s device', async ({ browser }) => {
	const contextA = await browser.newContext();
	const contextB = await browser.newContext();
	try {
		const a = await contextA.newPage();
		await setUp(a);
		const guid = await registerPerson(a, PEOPLE[0]!);
		await go(a, '/settings');
		const deviceId = (await a.getByTestId('device-id').textContent())?.trim() ?? '';
		await go(a, '/exchange');
		await a.getByLabel('Whole log').check();
		await a.getByRole('button', { name: 'Create bundle' }).click();
		await expect(a.getByTestId('export-ready')).toContainText('Bundle ready: 2 events');
		const [download] = await Promise.all([a.waitForEvent('download'), a.getByTestId('download').click()]);
		const text = await readFile((await download.path()) as string, 'utf8');
		// The description carries the name and the role, and nothing else.
		const described = (JSON.parse(text) as { events: CasetrailEvent[] }).events.filter((e) => e.type === 'describe-user');
		expect(described.map((e) => e.data)).toEqual([{ userId: expect.any(String) as unknown, name: ADMIN.name, role: 'administrator' }]);
		expect(text).not.toContain(ADMIN.passphrase);

		const b = await contextB.newPage();
		await setUp(b, { name: 'Bea Admin', passphrase: 'another horse battery staple' });
		await go(b, '/exchange');
		await chooseBundle(b, download.suggestedFilename(), text);
		await b.getByRole('button', { name: 'Import', exact: true }).click();
		await expect(b.getByTestId('imported')).toContainText('Imported: 2 events added.');

		const claimed = `Ada Admin (administrator, device ${deviceId.slice(0, 8)})`;
		await go(b, `/entities/${guid}/history`);
		await expect(b.getByText(`Recorded by: ${claimed}`)).toBeVisible();
		await expect(b.getByText(/Recorded by: [0-9a-f]{8}-/)).toHaveCount(0);
		await expectAccessible(b);

		await go(b, '/events');
		const registered = b.getByTestId('log').getByRole('row').filter({ hasText: 'Registered' });
		await expect(registered).toContainText(claimed);
		// The description itself is listed, about the users of a device rather than a record.
		await expect(b.getByTestId('log').getByRole('row').filter({ hasText: 'User described' })).toContainText('Users of a device');
		await expectAccessible(b);
		await registered.getByRole('link', { name: 'Registered' }).click();
		await expect(b.getByTestId('recorded-by')).toHaveText(claimed);
		await expectAccessible(b);
	} finally {
		await contextA.close();
		await contextB.close();
	}
});

/** A made-up field device's log of `n` registrations, valid for any Casetrail device to import. */
function fieldLog(n: number): CasetrailEvent[] {
	return Array.from({ length: n }, (_, i) => ({
		guid: `019a0000-0000-7000-8000-${String(i).padStart(12, '0')}`,
		entityGuid: `019a0000-0000-7000-9000-${String(i).padStart(12, '0')}`,
		type: 'create-individual',
		data: { givenName: `Field${i}`, familyName: 'Worker', sex: i % 2 ? 'male' : 'female', dateOfBirth: '1990-01-01' },
		timestamp: new Date(Date.UTC(2026, 10, 2, 8, i)).toISOString(),
		userId: 'field-worker',
		version: 1
	}));
}

test('a device that rewrites events across a gap is refused in the browser, with both checkpoints kept', async ({ browser }) => {
	// The sending device is made up here, with its own key: it sends events 1 to 10, then rewrites
	// events 9 and 10 and sends a bundle that starts at event 13. Its prefix nodes cover [0, 8) and
	// [8, 12), neither of which device B holds, so only the consistency proof from 10 can show it.
	const signer = await generateDeviceKeys();
	const issuedAt = '2026-11-02T10:00:00.000Z';
	const log = fieldLog(14);
	const first = JSON.stringify(await buildBundleFrom({ log: log.slice(0, 10), from: 0, signer, issuedAt }));
	const rewritten = log.map((e, i) => (i === 8 || i === 9 ? { ...e, data: { ...e.data, givenName: `Forged${i}` } } : e));
	const forged = JSON.stringify(await buildBundleFrom({ log: rewritten, from: 12, signer, issuedAt, signedSizes: [10] }));
	const unproven = JSON.stringify(await buildBundleFrom({ log: rewritten, from: 12, signer, issuedAt }));

	const context = await browser.newContext();
	try {
		const b = await context.newPage();
		await setUp(b);
		await go(b, '/exchange');
		await chooseBundle(b, 'first.json', first);
		await expect(b.getByTestId('summary-version')).toHaveText('version 2');
		await b.getByRole('button', { name: 'Import', exact: true }).click();
		await expect(b.getByTestId('imported')).toContainText('Imported: 10 events added.');

		// Without the proof from 10, the bundle cannot be compared with what B holds: refused.
		await go(b, '/exchange');
		await chooseBundle(b, 'unproven.json', unproven);
		await expect(b.getByTestId('summary-missing-proof')).toContainText('checkpoint of 10 events');
		await b.getByRole('button', { name: 'Import', exact: true }).click();
		await expect(b.getByTestId('import-error')).toHaveAttribute('data-code', 'missing-consistency-proof');

		// With it, the proven root at 10 is not the one B holds: a fork, refused, with evidence.
		await go(b, '/exchange');
		await chooseBundle(b, 'forged.json', forged);
		await expect(b.getByTestId('summary-fork')).toBeVisible();
		await expectAccessible(b);
		await b.getByRole('button', { name: 'Import', exact: true }).click();
		const refused = b.getByTestId('import-error');
		await expect(refused).toHaveAttribute('data-code', 'fork-detected');
		await expect(refused).toContainText('The sending device changed or removed events it had sent before.');
		await expect(b.getByTestId('forks')).toContainText('10 events');
		await expect(b.getByTestId('forks')).toContainText('14 events');
		await go(b, '/');
		await expect(b.getByTestId('count-events')).toHaveText('10');
	} finally {
		await context.close();
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
