// Keyboard-only use (issue 5, WCAG 2.2 AA): registering someone and deleting the record with a
// reason, with keys alone; focus is always visible on what has it.
import { test, expect, type Page } from '@playwright/test';
import { go, setUp } from './fixtures';

test.use({ locale: 'en-US' });

/** The focused element has a visible outline (the app's focus ring). */
async function expectVisibleFocus(page: Page): Promise<void> {
	const outline = await page.evaluate(() => {
		const el = document.activeElement as HTMLElement | null;
		return el ? getComputedStyle(el).outlineStyle : 'none';
	});
	expect(outline).not.toBe('none');
}

test('register and delete with the keyboard alone', async ({ page }) => {
	await setUp(page);
	await go(page, '/register');
	await expect(page.getByRole('heading', { level: 1, name: 'Register an individual' })).toBeFocused();

	await page.keyboard.press('Tab');
	await expect(page.locator('#reg-givenName')).toBeFocused();
	await expectVisibleFocus(page);
	await page.keyboard.type('Okot');
	await page.keyboard.press('Tab');
	await page.keyboard.type('Lagu');
	await page.keyboard.press('Tab');
	await expect(page.locator('#reg-sex')).toBeFocused();
	await page.keyboard.type('m');
	await expect(page.locator('#reg-sex')).toHaveValue('male');
	await page.keyboard.press('Tab');
	await expect(page.locator('#reg-dateOfBirth')).toBeFocused();
	await page.keyboard.type('07041983');
	await expect(page.locator('#reg-dateOfBirth')).toHaveValue('1983-07-04');
	await page.keyboard.press('Enter');
	await expect(page.getByTestId('saved')).toBeFocused();
	await expect(page.getByTestId('saved')).toContainText('Okot Lagu is registered.');

	await page.keyboard.press('Tab');
	await expect(page.getByRole('link', { name: 'Open the record' })).toBeFocused();
	await expectVisibleFocus(page);
	await page.keyboard.press('Enter');
	await expect(page.getByTestId('entity-name')).toBeFocused();

	// Tab along to the Delete button: it is reachable, and Enter opens the dialog with focus inside.
	const del = page.getByRole('button', { name: 'Delete', exact: true });
	for (let i = 0; i < 20 && !(await del.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
	await expect(del).toBeFocused();
	await page.keyboard.press('Enter');
	const dialog = page.getByTestId('delete-dialog');
	await expect(dialog.getByLabel('Reason')).toBeFocused();
	await page.keyboard.press('Escape');
	await expect(dialog).toBeHidden();
	await expect(del).toBeFocused();
	await page.keyboard.press('Enter');
	await page.keyboard.type('Registered by mistake');
	await page.keyboard.press('Tab');
	await expect(dialog.getByRole('button', { name: 'Delete record' })).toBeFocused();
	await expectVisibleFocus(page);
	await page.keyboard.press('Enter');
	await expect(page.getByTestId('notice')).toBeFocused();
	await expect(page.getByTestId('deleted-notice')).toBeVisible();
});
