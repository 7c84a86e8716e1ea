// The storage health on the home page (issue 20, point 6): what the device stores per event and
// against the events' own bytes, from the browser's usage estimate and the log's counters.
import { test, expect } from '@playwright/test';
import { expectAccessible, go, registerPerson, setUp } from './fixtures';

test('the home page shows the storage used per event and against the events themselves', async ({ page }) => {
	// A known usage, as estimate() reports it (supplied before the app loads).
	await page.addInitScript(() => {
		StorageManager.prototype.estimate = async () => ({ usage: 3_000_000, quota: 1_000_000_000 });
	});
	await setUp(page);
	await go(page, '/');
	await expect(page.getByTestId('count-events')).toHaveText('0');
	// Nothing stored: no figure per event.
	await expect(page.getByTestId('storage-per-event')).toHaveCount(0);
	await registerPerson(page, { givenName: 'Grace', familyName: 'Auma', sex: 'female', dateOfBirth: '1990-01-01' });
	await go(page, '/');
	await expect(page.getByTestId('count-events')).toHaveText('1');
	const figure = page.getByTestId('storage-per-event');
	// 3 MB for one event of a few hundred bytes.
	await expect(figure).toContainText(/^That is 3\.0 MB per stored event: [\d,]+ times the \d+ B the events themselves hold/);
	await expectAccessible(page);
});
