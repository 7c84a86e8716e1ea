// Offline and installable (issue 6), in Chromium against the production build: the manifest and
// icons meet the installability criteria, the service worker takes control on the first visit,
// every route then loads with the network cut, and no request ever leaves the app's own origin.
// Also the install button, the iOS help and the storage status on the settings page.
import { test, expect, type BrowserContext, type Page } from '@playwright/test';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { expectAccessible, waitForServiceWorker } from './fixtures';

/** Every route without parameters that exists in src/routes now. */
function existingRoutes(): string[] {
	const routes: string[] = [];
	const root = 'src/routes';
	const walk = (dir: string): void => {
		for (const name of readdirSync(dir)) {
			const path = join(dir, name);
			if (statSync(path).isDirectory()) walk(path);
			else if (name === '+page.svelte') {
				const segments = relative(root, dir)
					.split(sep)
					.filter((s) => s !== '' && !/^\(.*\)$/.test(s)); // (group) folders add no segment
				if (!segments.some((s) => s.includes('['))) routes.push(`/${segments.join('/')}`);
			}
		}
	};
	walk(root);
	return routes;
}

/** The routes the issue names; for one not built yet only the app shell is checked. */
const NAMED_ROUTES = ['/', '/entities', '/register', '/settings'];

/** Every URL any page or worker of the context requests, from the moment this is called. */
function recordRequests(context: BrowserContext): string[] {
	const urls: string[] = [];
	context.on('request', (request) => urls.push(request.url()));
	return urls;
}

function foreign(urls: string[], origin: string): string[] {
	return urls.filter((url) => !url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).origin !== origin);
}

/** Width and height from a PNG's IHDR chunk; throws when the bytes are not a PNG. */
function pngSize(bytes: Buffer): { width: number; height: number } {
	const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
	if (!bytes.subarray(0, 8).equals(signature) || bytes.toString('latin1', 12, 16) !== 'IHDR') {
		throw new Error('not a PNG');
	}
	return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

interface ManifestIcon {
	src: string;
	sizes: string;
	type: string;
	purpose?: string;
}

async function shellLoaded(page: Page): Promise<void> {
	await expect(page.getByRole('link', { name: 'Casetrail' })).toBeVisible();
	await expect(page.getByTestId('app-version')).not.toBeEmpty();
}

test.describe('installability', () => {
	test('the manifest is fetched, valid and meets Chromium’s criteria', async ({ page, baseURL }) => {
		await page.goto('/');
		await shellLoaded(page);
		const href = await page.locator('link[rel="manifest"]').getAttribute('href');
		expect(href).toBeTruthy();

		const cdp = await page.context().newCDPSession(page);
		const fetched = (await cdp.send('Page.getAppManifest', {})) as { url: string; errors: { message: string }[]; data?: string };
		expect(fetched.url).toBe(new URL('/manifest.webmanifest', baseURL).href);
		expect(fetched.errors).toEqual([]);
		const manifest = JSON.parse(fetched.data ?? '') as Record<string, unknown> & { icons: ManifestIcon[] };
		expect(manifest).toMatchObject({
			id: '/',
			name: 'Casetrail',
			short_name: 'Casetrail',
			start_url: '/',
			scope: '/',
			display: 'standalone'
		});
		expect(manifest['description']).toEqual(expect.any(String));
		expect(manifest['theme_color']).toMatch(/^#[0-9a-f]{6}$/i);
		expect(manifest['background_color']).toMatch(/^#[0-9a-f]{6}$/i);
		const pngs = manifest.icons.filter((icon) => icon.type === 'image/png');
		const any = pngs.filter((icon) => (icon.purpose ?? 'any').split(' ').includes('any')).map((icon) => icon.sizes);
		expect(any).toEqual(expect.arrayContaining(['192x192', '512x512']));
		expect(pngs.some((icon) => icon.sizes === '512x512' && icon.purpose === 'maskable')).toBe(true);

		// Chromium's own verdict, once the service worker is in place. An automation context is an
		// off-the-record profile, which Chromium reports separately from the app's own faults.
		await waitForServiceWorker(page);
		const verdict = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: { errorId: string }[] };
		expect(verdict.installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito')).toEqual([]);
	});

	test('every manifest icon loads with the declared type and size', async ({ page, request }) => {
		await page.goto('/');
		const manifest = (await (await request.get('/manifest.webmanifest')).json()) as { icons: ManifestIcon[] };
		expect(manifest.icons.length).toBeGreaterThanOrEqual(3);
		for (const icon of manifest.icons) {
			const response = await request.get(icon.src);
			expect(response.status(), icon.src).toBe(200);
			expect(response.headers()['content-type'], icon.src).toContain(icon.type);
			const bytes = await response.body();
			if (icon.type === 'image/png') {
				const { width, height } = pngSize(bytes);
				expect(`${width}x${height}`, icon.src).toBe(icon.sizes);
			} else {
				expect(bytes.toString('utf8'), icon.src).toContain('<svg');
			}
			// And the page itself can decode it, as the browser's install UI will.
			const decoded = await page.evaluate(async (src) => {
				const image = new Image();
				image.src = src;
				await image.decode();
				return `${image.naturalWidth}x${image.naturalHeight}`;
			}, icon.src);
			if (icon.type === 'image/png') expect(decoded, icon.src).toBe(icon.sizes);
		}
		// iOS ignores the manifest's icons and looks for this one by name.
		expect(pngSize(await (await request.get('/apple-touch-icon.png')).body())).toEqual({ width: 180, height: 180 });
	});

	test('the service worker controls the page after the first load', async ({ page }) => {
		await page.goto('/settings');
		await waitForServiceWorker(page);
		const script = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL);
		expect(new URL(script ?? 'about:blank').pathname).toBe('/service-worker.js');
		await expect(page.getByTestId('offline-ready')).toHaveAttribute('data-ready', 'true');
	});
});

test.describe('offline', () => {
	test('after one visit every route loads with the network cut, all from the app’s own origin', async ({
		page,
		context,
		baseURL
	}) => {
		const origin = new URL(baseURL ?? '').origin;
		const requests = recordRequests(context);
		await page.goto('/');
		await shellLoaded(page);
		await waitForServiceWorker(page);

		await context.setOffline(true);
		await expect(page.getByTestId('connectivity')).toContainText('Offline');
		const existing = existingRoutes();
		for (const route of new Set([...NAMED_ROUTES, ...existing])) {
			const response = await page.goto(route);
			expect(response?.fromServiceWorker(), `${route} from the service worker`).toBe(true);
			await shellLoaded(page);
			// A route that exists must not fall through to SvelteKit's error page (an h1 "404"/"500").
			if (existing.includes(route)) {
				await expect(page.locator('main h1').filter({ hasText: /^\s*\d{3}\s*$/ }), route).toHaveCount(0);
			}
		}
		// A reload with no network is the case worker reopening the app in the field.
		await page.reload();
		await shellLoaded(page);
		await expect(page.getByTestId('connectivity')).toContainText('Offline');

		expect(requests.length).toBeGreaterThan(0);
		expect(foreign(requests, origin)).toEqual([]);
	});

	test('the service worker answers nothing that is not the app', async ({ page, context }) => {
		await page.goto('/');
		await waitForServiceWorker(page);
		await context.setOffline(true);
		const outcome = await page.evaluate(async () => {
			const probe = async (url: string): Promise<string> => {
				try {
					const response = await fetch(url);
					return `${response.status}`;
				} catch {
					return 'network-error';
				}
			};
			return {
				unknownFile: await probe('/not-in-the-app.json'),
				versionFile: await probe('/_app/version.json'),
				shellFile: await probe('/index.html')
			};
		});
		// Requests outside the precache go to the network, which is cut: nothing stale is invented.
		expect(outcome).toEqual({ unknownFile: 'network-error', versionFile: 'network-error', shellFile: '200' });
		const keys = await page.evaluate(() => caches.keys());
		expect(keys).toHaveLength(1);
		expect(keys[0]).toMatch(/^casetrail-app-/);
	});
});

test.describe('install button', () => {
	test('offers the browser’s install prompt and reports the choice', async ({ page }) => {
		await page.goto('/settings');
		await expect(page.getByRole('heading', { level: 2, name: 'Install and offline use' })).toBeVisible();
		// Chromium fires beforeinstallprompt only when it decides to; this hands the page one, as
		// the browser would, with a prompt() that records being called.
		await page.evaluate(() => {
			const event = new Event('beforeinstallprompt', { cancelable: true });
			Object.assign(event, {
				prompt: async () => {
					document.documentElement.dataset['prompted'] = 'yes';
				},
				userChoice: Promise.resolve({ outcome: 'dismissed', platform: 'web' })
			});
			window.dispatchEvent(event);
		});
		const button = page.getByRole('button', { name: 'Install Casetrail' });
		await expect(button).toBeVisible();
		const box = await button.boundingBox();
		expect(box?.height ?? 0).toBeGreaterThanOrEqual(44);
		await button.focus();
		await page.keyboard.press('Enter');
		await expect(page.locator('html')).toHaveAttribute('data-prompted', 'yes');
		await expect(page.getByTestId('install').getByRole('status')).toHaveText(/Not installed/);
		await expect(button).toBeHidden();
	});

	test.describe('on an iPhone', () => {
		test.use({
			userAgent:
				'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1'
		});

		test('explains Share → Add to Home Screen, since iOS has no install prompt', async ({ page }) => {
			await page.goto('/settings');
			await expect(page.getByTestId('install-help')).toContainText('Add to Home Screen');
			await expect(page.getByRole('button', { name: 'Install Casetrail' })).toHaveCount(0);
		});
	});
});

test.describe('storage status', () => {
	test('shows usage and quota, and asks for persistent storage on request', async ({ page, browser, baseURL }) => {
		await page.goto('/settings');
		await expect(page.getByRole('heading', { level: 2, name: 'Storage on this device' })).toBeVisible();
		await expect(page.getByTestId('storage-usage')).toContainText(/\d.* of .*\d.* used \(\d+%\)/);
		const status = page.getByTestId('storage-persisted');
		await expect(status).toHaveAttribute('data-persisted', 'false');
		await expect(status).toContainText('Not protected');

		// Chromium grants persistence by its own heuristics; grant it here the way an installed app
		// would get it. Playwright's grantPermissions does not know this permission.
		const target = (await (await page.context().newCDPSession(page)).send('Target.getTargetInfo')) as {
			targetInfo: { browserContextId?: string };
		};
		const cdp = await browser.newBrowserCDPSession();
		await cdp.send('Browser.setPermission', {
			permission: { name: 'persistent-storage' },
			setting: 'granted',
			origin: new URL(baseURL ?? '').origin,
			...(target.targetInfo.browserContextId ? { browserContextId: target.targetInfo.browserContextId } : {})
		});
		await page.getByRole('button', { name: 'Ask the browser to keep the data' }).click();
		await expect(status).toHaveAttribute('data-persisted', 'true');
		await expect(status).toContainText('Protected');
		expect(await page.evaluate(() => navigator.storage.persisted())).toBe(true);
		await expect(page.getByRole('button', { name: 'Ask the browser to keep the data' })).toHaveCount(0);
		await expectAccessible(page);
	});

	test('warns when usage passes 80% of the quota', async ({ page }) => {
		await page.goto('/settings');
		await expect(page.getByTestId('storage-usage')).toBeVisible();
		await expect(page.getByTestId('storage-warnings')).toHaveCount(0);
		// A device nearly out of space, as estimate() reports it there (Chromium's quota override
		// does not reach an automation profile, so the numbers are supplied before the app loads).
		await page.addInitScript(() => {
			StorageManager.prototype.estimate = async () => ({ usage: 900_000_000, quota: 1_000_000_000 });
		});
		await page.reload();
		const warning = page.getByTestId('storage-warnings');
		await expect(warning).toHaveAttribute('role', 'alert');
		await expect(warning.locator('[data-warning="quota-near"]')).toContainText('Storage is 90% full');
		await expect(page.getByTestId('storage-usage')).toContainText('900 MB of 1.0 GB used (90%)');
	});
});
