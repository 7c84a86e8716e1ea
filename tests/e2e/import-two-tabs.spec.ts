// Issue 20: a large bundle is imported in one tab while a second tab of the same device signs in and
// searches. The import appends in short transactions (store/import.ts), so the second tab is never
// held until it ends; the importing tab shows a progress bar with counts. 20,000 events from a
// colleague's device, generated and signed here.
import { test, expect } from '@playwright/test';
import { buildBundleFrom } from '../../src/lib/core/bundle/build';
import { generateDeviceKeys } from '../../src/lib/core/bundle/checkpoint';
import type { CasetrailEvent } from '../../src/lib/core/event';
import { ADMIN, expectAccessible, go, registerPerson, setUp, signIn } from './fixtures';

const EVENTS = 20_000;
const GIVEN = ['Awa', 'Binta', 'Cheikh', 'Demba', 'Fatou', 'Ibrahima', 'Khady', 'Lamine', 'Mariama', 'Ousmane'];
const FAMILY = ['Ba', 'Camara', 'Diop', 'Fall', 'Gueye', 'Kane', 'Mbaye', 'Ndiaye', 'Sarr', 'Thiam'];

/** A colleague's log: people registered, each updated once, as the app records them. */
function colleagueLog(): CasetrailEvent[] {
	const start = Date.UTC(2026, 9, 1, 8);
	const out: CasetrailEvent[] = [];
	for (let i = 0; out.length < EVENTS; i++) {
		const entityGuid = `0192a000-0000-7000-8000-${String(i).padStart(12, '0')}`;
		out.push({
			guid: `0192a000-0001-7000-8000-${String(i).padStart(12, '0')}`,
			entityGuid,
			type: 'create-individual',
			data: { givenName: GIVEN[i % GIVEN.length], familyName: FAMILY[Math.floor(i / GIVEN.length) % FAMILY.length], sex: i % 2 ? 'male' : 'female', dateOfBirth: '1990-01-01' },
			timestamp: new Date(start + i * 2000).toISOString(),
			userId: 'u-colleague',
			version: 3,
			context: { source: 'casetrail-app' }
		});
		if (out.length < EVENTS) {
			out.push({
				guid: `0192a000-0002-7000-8000-${String(i).padStart(12, '0')}`,
				entityGuid,
				type: 'update-individual',
				data: { address: `Plot ${i}` },
				timestamp: new Date(start + i * 2000 + 1000).toISOString(),
				userId: 'u-colleague',
				version: 3,
				context: { reason: 'moved', source: 'casetrail-app' }
			});
		}
	}
	return out;
}

test('a 20,000-event import in one tab while a second tab signs in and searches', async ({ browser }) => {
	test.setTimeout(180_000);
	const signer = await generateDeviceKeys();
	const text = JSON.stringify(await buildBundleFrom({ log: colleagueLog(), from: 0, signer, issuedAt: '2026-11-02T10:00:00.000Z' }));
	const context = await browser.newContext();
	try {
		const a = await context.newPage();
		await setUp(a);
		await registerPerson(a, { givenName: 'Zuberi', familyName: 'Kanté', sex: 'male', dateOfBirth: '1984-04-04' });
		await go(a, '/exchange');
		await a.getByLabel('Bundle file').setInputFiles({ name: 'colleague.json', mimeType: 'application/json', buffer: Buffer.from(text) });
		await expect(a.getByTestId('summary-events')).toHaveText('20,000', { timeout: 60_000 });
		await a.getByRole('button', { name: 'Import', exact: true }).click();

		// The importing tab shows a real progress bar, with counts, while events are added.
		const bar = a.getByLabel('Import progress');
		await expect(bar).toBeVisible({ timeout: 60_000 });
		await expect(a.getByText(/ of 20,000 events added$/)).toBeVisible({ timeout: 60_000 });
		const value = Number(await bar.getAttribute('value'));
		expect(value).toBeGreaterThanOrEqual(0);
		expect(Number(await bar.getAttribute('max'))).toBe(EVENTS);
		await expectAccessible(a);

		// A second tab of the same device: signed out (its worker is new), it signs in and searches
		// while the first tab is still importing.
		const b = await context.newPage();
		await b.goto('/');
		await signIn(b, ADMIN.name, ADMIN.passphrase);
		await b.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People & households' }).click();
		await expect(b.getByRole('heading', { level: 1, name: 'People & households' })).toBeFocused();
		const search = b.getByLabel('Search by name or id');
		await search.pressSequentially('zub', { delay: 50 });
		await expect(b.getByRole('link', { name: 'Zuberi Kanté' })).toBeVisible();
		// All of this happened during the import: the first tab has not finished.
		await expect(a.getByTestId('imported')).toHaveCount(0);
		await expect(bar).toBeVisible();
		await expectAccessible(b);

		// The import ends whole; the second tab then finds the colleague's people too.
		await expect(a.getByTestId('imported')).toContainText('Imported: 20,000 events added.', { timeout: 150_000 });
		await expect(bar).toHaveCount(0);
		await search.fill('');
		await search.pressSequentially('ousm', { delay: 50 });
		// One in ten of the colleague's 10,000 people is an Ousmane: the first page of them.
		await expect.poll(() => b.getByTestId('results').getByRole('link').allInnerTexts(), { timeout: 30_000 }).toContain('Ousmane Ba');
		await expect(b.getByTestId('result-count')).toHaveText('Showing the first 50 records.');
	} finally {
		await context.close();
	}
});
