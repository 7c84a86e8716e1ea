// The location of a visit (issue 17), in Chromium against the production build: an administrator
// turns on "record where each registration and change is made" on the device; a registration then
// asks for the position when the form opens and saves it in the event's metadata. When the
// permission is refused the form says so and the record is saved without a location. axe on both.
import { test, expect, type Page } from '@playwright/test';
import { expectAccessible, fillPerson, go, setUp } from './fixtures';

async function turnOnLocation(page: Page): Promise<void> {
	await go(page, '/settings');
	await page.getByLabel('Record where each registration and change is made').check();
	await expectAccessible(page);
}

/** The canonical JSON of the record's registration event, from its inspector. */
async function registrationEvent(page: Page, href: string): Promise<Record<string, unknown>> {
	await go(page, `${href}/history`);
	await page.getByTestId('trail').getByRole('link', { name: 'Inspect event' }).last().click();
	const canonical = page.getByTestId('canonical');
	await expect(canonical).toContainText('create-individual');
	return JSON.parse((await canonical.textContent()) ?? '{}') as Record<string, unknown>;
}

async function register(page: Page, givenName: string): Promise<string> {
	await page.getByRole('button', { name: 'Register', exact: true }).click();
	const saved = page.getByTestId('saved');
	await expect(saved).toContainText(`${givenName} Sarr is registered.`);
	return (await saved.getByRole('link').getAttribute('href')) ?? '';
}

test('with permission, the position is shown and saved in the event metadata', async ({ browser }) => {
	const context = await browser.newContext({ geolocation: { latitude: 14.6928, longitude: -17.4467, accuracy: 12 }, permissions: ['geolocation'] });
	try {
		const page = await context.newPage();
		await setUp(page);
		await turnOnLocation(page);
		await go(page, '/register');
		const location = page.getByTestId('location');
		await expect(location).toHaveAttribute('data-state', 'found');
		await expect(location).toContainText('Location: 14.69280, -17.44670 (within 12 m)');
		await expectAccessible(page);
		await fillPerson(page, { givenName: 'Fatou', familyName: 'Sarr', sex: 'female', dateOfBirth: '1984-01-30' });
		const href = await register(page, 'Fatou');
		const event = await registrationEvent(page, href);
		expect((event['metadata'] as Record<string, unknown>)['location']).toEqual({ latitude: 14.6928, longitude: -17.4467, accuracy: 12 });
	} finally {
		await context.close();
	}
});

test('refused, the form says so and the record is saved without a location; without the setting nothing is asked', async ({ browser }) => {
	const context = await browser.newContext({ geolocation: { latitude: 14.6928, longitude: -17.4467, accuracy: 12 } });
	try {
		await context.clearPermissions();
		const page = await context.newPage();
		await setUp(page);
		// The setting off (the default): the form neither asks nor shows a location.
		await go(page, '/register');
		await expect(page.getByLabel('Given name')).toBeVisible();
		await expect(page.getByTestId('location')).toHaveCount(0);

		await turnOnLocation(page);
		await go(page, '/register');
		const location = page.getByTestId('location');
		await expect(location).toHaveAttribute('data-state', 'denied');
		await expect(location).toContainText('permission refused. The record is saved without a location.');
		await expect(location.getByRole('button', { name: 'Try to find the location again' })).toBeVisible();
		await expectAccessible(page);
		await fillPerson(page, { givenName: 'Moussa', familyName: 'Sarr', sex: 'male', dateOfBirth: '1979-06-12' });
		const href = await register(page, 'Moussa');
		const event = await registrationEvent(page, href);
		expect(event['metadata']).not.toHaveProperty('location');

		// Allowed afterwards, trying again finds it.
		await context.grantPermissions(['geolocation']);
		await go(page, '/register');
		await expect(page.getByTestId('location')).toHaveAttribute('data-state', 'found');
	} finally {
		await context.close();
	}
});
