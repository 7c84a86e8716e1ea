// The supervisor's pages (issue 5): the event log, the inspector whose Verify button checks the
// inclusion proof in the page, the whole-log integrity check with its progress bar (untouched, and
// after an event row was edited directly in IndexedDB, which it must name), rebuilding the records
// from the log, and the metrics.
import { readFileSync } from 'node:fs';
import { test, expect, type Page } from '@playwright/test';
import { expectAccessible, go, registerPerson, setUp } from './fixtures';

/** Edits the stored row of the event at leaf index `seq` in the raw 'casetrail' database, as an attacker with the disk would. */
async function tamperWithEvent(page: Page, seq: number): Promise<void> {
	await page.evaluate(
		(seq) =>
			new Promise<void>((resolve, reject) => {
				const request = indexedDB.open('casetrail');
				request.onerror = () => reject(request.error);
				request.onsuccess = () => {
					const db = request.result;
					const tx = db.transaction('events', 'readwrite');
					const store = tx.objectStore('events');
					const get = store.get(seq);
					get.onsuccess = () => {
						const row = get.result as Record<string, unknown>;
						if (row.sealed instanceof Uint8Array) {
							// Encrypted at rest: change one byte of what is stored.
							const sealed = new Uint8Array(row.sealed);
							sealed[sealed.length - 1] = (sealed[sealed.length - 1] ?? 0) ^ 0xff;
							row.sealed = sealed;
						} else {
							row.canonical = String(row.canonical).replace('"givenName":"', '"givenName":"X');
						}
						store.put(row);
					};
					tx.oncomplete = () => {
						db.close();
						resolve();
					};
					tx.onerror = () => reject(tx.error);
				};
			}),
		seq
	);
}

test('the inspector shows an event’s bytes, leaf and proof, and verifies it in the page', async ({ page }) => {
	await setUp(page);
	for (const [givenName, familyName] of [['Ruth', 'Akot'], ['Denis', 'Okwir'], ['Agnes', 'Laker']] as const) {
		await registerPerson(page, { givenName, familyName, sex: givenName === 'Denis' ? 'male' : 'female', dateOfBirth: '1991-01-01' });
	}
	await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Log' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Event log' })).toBeFocused();
	const rows = page.getByTestId('log').getByRole('row');
	await expect(rows).toHaveCount(4);
	await expectAccessible(page);

	await rows.nth(2).getByRole('link', { name: 'Registered' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Event inspector' })).toBeVisible();
	await expect(page.getByTestId('leaf-index')).toHaveText('1');
	await expect(page.getByTestId('tree-size')).toHaveText('3');
	await expect(page.getByTestId('leaf-hash')).toHaveText(/^[0-9a-f]{64}$/);
	await expect(page.getByTestId('canonical')).toContainText('"givenName":"Denis"');
	await expect(page.getByTestId('proof').getByRole('listitem')).toHaveCount(2);
	await page.getByRole('button', { name: 'Verify in this browser' }).click();
	await expect(page.getByTestId('verify-result')).toHaveAttribute('data-outcome', 'verified');
	await expect(page.getByTestId('verify-result')).toContainText('Verified: this event is in the log exactly as shown');
	await expectAccessible(page);
});

test('every event names the build that wrote it: metadata.appVersion is the version the footer shows (issue 13)', async ({ page }) => {
	const released = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
	const built = (JSON.parse(readFileSync('build/_app/version.json', 'utf8')) as { version: string }).version;
	await setUp(page);
	await registerPerson(page, { givenName: 'Ruth', familyName: 'Akot', sex: 'female', dateOfBirth: '1991-01-01' });
	await go(page, '/events');
	await page.getByTestId('log').getByRole('row').nth(1).getByRole('link').first().click();
	await expect(page.getByRole('heading', { level: 1, name: 'Event inspector' })).toBeVisible();
	const event = JSON.parse((await page.getByTestId('canonical').textContent()) ?? '') as { metadata?: { appVersion?: unknown } };
	const shown = await page.getByTestId('app-version').textContent();
	// package.json's version, then the commit and the build time as semver build metadata.
	expect(event.metadata?.appVersion).toMatch(new RegExp(`^${released.replaceAll('.', '\\.')}\\+([0-9a-f]{7}\\.)?\\d{8}T\\d{6}Z$`));
	expect(event.metadata?.appVersion).toBe(shown);
	expect(event.metadata?.appVersion).toBe(built);
});

test('the integrity check passes an untouched log with a progress bar, and home shows when', async ({ page }) => {
	await setUp(page);
	await registerPerson(page, { givenName: 'Ruth', familyName: 'Akot', sex: 'female', dateOfBirth: '1991-01-01' });
	await go(page, '/integrity');
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Check the whole log' }).click();
	const result = page.getByTestId('integrity-result');
	await expect(result).toHaveAttribute('data-ok', 'true');
	await expect(result).toContainText('Everything matches: all 1 event are exactly as they were recorded.');
	await expect(result).toBeFocused();
	await expectAccessible(page);
	await go(page, '/');
	await expect(page.getByTestId('last-verified')).toContainText('all 1 event matched');
	await expect(page.getByTestId('count-individuals')).toHaveText('1');
	await expect(page.getByTestId('count-events')).toHaveText('1');
	await expectAccessible(page);
});

test('the integrity check names an event whose stored row was edited in IndexedDB', async ({ page }) => {
	test.setTimeout(120_000);
	await setUp(page);
	const people = [['Ruth', 'Akot'], ['Denis', 'Okwir'], ['Agnes', 'Laker'], ['Paul', 'Opio']] as const;
	for (const [givenName, familyName] of people) {
		await registerPerson(page, { givenName, familyName, sex: 'female', dateOfBirth: '1991-01-01' });
	}
	await go(page, '/events');
	const tamperedGuid = (await page.getByTestId('log').getByRole('row').nth(3).getByRole('link', { name: 'Registered' }).getAttribute('href'))?.replace('/events/', '');
	expect(tamperedGuid).toMatch(/^[0-9a-f-]{36}$/);
	await tamperWithEvent(page, 1);

	await go(page, '/integrity');
	await page.getByRole('button', { name: 'Check the whole log' }).click();
	const result = page.getByTestId('integrity-result');
	await expect(result).toHaveAttribute('data-ok', 'false');
	const alert = page.getByTestId('integrity-bad');
	await expect(alert).toHaveAttribute('role', 'alert');
	await expect(alert).toContainText('1 event no longer matches what was recorded.');
	await expect(alert).toContainText('changed or removed these records in the device storage, outside Casetrail');
	const tampered = page.getByTestId('tampered').getByRole('listitem');
	await expect(tampered).toHaveCount(1);
	await expect(tampered.first()).toContainText('Event at position 1');
	await expect(tampered.first()).toContainText(tamperedGuid!);
	await expect(page.getByTestId('problems')).toContainText('Event 1:');
	await expectAccessible(page);
	await go(page, '/');
	await expect(page.getByTestId('last-verified')).toContainText('1 event did not match');
});

test('rebuilding the records from the log restores a record lost from the device storage', async ({ page }) => {
	await setUp(page);
	const lost = await registerPerson(page, { givenName: 'Ruth', familyName: 'Akot', sex: 'female', dateOfBirth: '1991-01-01' });
	await registerPerson(page, { givenName: 'Denis', familyName: 'Okwir', sex: 'male', dateOfBirth: '1992-02-02' });
	// The record's row goes missing from the raw database; its event stays in the log.
	await page.evaluate(
		(guid) =>
			new Promise<void>((resolve, reject) => {
				const request = indexedDB.open('casetrail');
				request.onerror = () => reject(request.error);
				request.onsuccess = () => {
					const db = request.result;
					const tx = db.transaction('entities', 'readwrite');
					tx.objectStore('entities').delete(guid);
					tx.oncomplete = () => {
						db.close();
						resolve();
					};
					tx.onerror = () => reject(tx.error);
				};
			}),
		lost
	);
	const names = (): Promise<string[]> => page.getByTestId('results').getByRole('link').allInnerTexts();
	await go(page, '/entities');
	await expect.poll(names).toEqual(['Denis Okwir']);

	await go(page, '/integrity');
	await page.getByRole('button', { name: 'Rebuild records from the log' }).click();
	const result = page.getByTestId('rebuild-result');
	await expect(result).toContainText('1 stored row differed from what the events say and was rebuilt. 2 events replayed into 2 records');
	await expect(result).toBeFocused();
	await expectAccessible(page);
	await go(page, '/entities');
	await expect.poll(names).toEqual(['Denis Okwir', 'Ruth Akot']);

	await go(page, '/integrity');
	await page.getByRole('button', { name: 'Rebuild records from the log' }).click();
	await expect(result).toContainText('Every record already matched the log: 2 events replayed into 2 records, nothing changed.');
});

test('the metrics page shows totals, tree depth and events by type as a chart with numbers', async ({ page }) => {
	await setUp(page);
	const guid = await registerPerson(page, { givenName: 'Ruth', familyName: 'Akot', sex: 'female', dateOfBirth: '1991-01-01' });
	await registerPerson(page, { givenName: 'Denis', familyName: 'Okwir', sex: 'male', dateOfBirth: '1992-02-02' });
	await go(page, `/entities/${guid}`);
	await page.getByRole('button', { name: 'Delete' }).click();
	await page.getByTestId('delete-dialog').getByLabel('Reason').fill('Test record');
	await page.getByTestId('delete-dialog').getByRole('button', { name: 'Delete record' }).click();
	await expect(page.getByTestId('deleted-notice')).toBeVisible();

	await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Metrics' }).click();
	await expect(page.getByTestId('total-events')).toHaveText('3');
	await expect(page.getByTestId('tree-depth')).toHaveText('2');
	await expect(page.getByTestId('failed-events')).toHaveText('0');
	const chart = page.getByRole('figure');
	await expect(chart.getByRole('listitem')).toHaveCount(2);
	await expect(chart.getByRole('listitem').first()).toContainText(/Registered \(create-individual\)\s*2/);
	await expect(chart.getByRole('listitem').nth(1)).toContainText(/Deleted \(delete-entity\)\s*1/);
	await expectAccessible(page);
});
