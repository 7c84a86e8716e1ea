// The Content-Security-Policy (issue 13), in Chromium against the production build as `npm start`
// serves it: the page carries a strict policy (no inline script but the fallback page's hashed
// bootstrap, connections to this origin only, WebAssembly but no eval), the server sends it as a
// header (which is what the database worker and the service worker run under), and every page of
// the app works under it with no violation reported by the page, the database worker or the
// service worker.
import { test, expect, type BrowserContext, type ConsoleMessage, type Page } from '@playwright/test';
import { ADMIN, go, registerPerson, setUp, signIn, waitForServiceWorker } from './fixtures';

/** What the policy must say, directive by directive, whatever else it says. */
const REQUIRED: Record<string, (sources: string[]) => boolean> = {
	'default-src': (s) => s.join(' ') === "'self'",
	'script-src': (s) => s.includes("'self'") && !s.includes("'unsafe-inline'") && !s.includes("'unsafe-eval'") && s.some((x) => x.startsWith("'sha256-")),
	'connect-src': (s) => s.join(' ') === "'self'",
	'object-src': (s) => s.join(' ') === "'none'",
	'base-uri': (s) => s.join(' ') === "'none'"
};

function directives(policy: string): Map<string, string[]> {
	const map = new Map<string, string[]>();
	for (const part of policy.split(';')) {
		const [name, ...sources] = part.trim().split(/\s+/);
		if (name) map.set(name, sources);
	}
	return map;
}

function expectStrict(policy: string | null | undefined): void {
	expect(policy, 'a Content-Security-Policy').toBeTruthy();
	const map = directives(policy ?? '');
	for (const [name, ok] of Object.entries(REQUIRED)) {
		expect(ok(map.get(name) ?? []), `${name} in ${policy}`).toBe(true);
	}
	for (const [name, sources] of map) expect(sources, `${name} allows no inline code`).not.toContain("'unsafe-inline'");
}

const isCspMessage = (text: string) => /Content[- ]Security[- ]Policy|Refused to (load|execute|apply|connect|compile|create|evaluate|frame)/i.test(text);

/**
 * Every CSP violation the context reports: `securitypolicyviolation` events in each page (listened
 * for before the page's own scripts run) and the console messages Chromium writes for a violation,
 * from each page, each dedicated worker (the database worker) and the service worker.
 */
async function watchViolations(context: BrowserContext): Promise<{ list: string[]; collect: (page: Page) => Promise<void> }> {
	const list: string[] = [];
	const onConsole = (where: string) => (message: ConsoleMessage) => {
		if (isCspMessage(message.text())) list.push(`${where} console: ${message.text()}`);
	};
	await context.addInitScript(() => {
		const seen: string[] = [];
		(window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
		document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.effectiveDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`));
	});
	const watchPage = (page: Page) => {
		page.on('console', onConsole(`page ${page.url()}`));
		page.on('worker', (worker) => worker.on('console', onConsole(`worker ${worker.url()}`)));
	};
	context.pages().forEach(watchPage);
	context.on('page', watchPage);
	context.on('serviceworker', (worker) => worker.on('console', onConsole(`service worker ${worker.url()}`)));
	return {
		list,
		collect: async (page) => {
			const seen = await page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []);
			list.push(...seen.map((v) => `page ${page.url()}: ${v}`));
		}
	};
}

test('the server sends a strict policy with the page and with the scripts the workers run', async ({ page, request }) => {
	const response = await page.goto('/');
	expectStrict(response?.headers()['content-security-policy']);
	expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
	// The page carries it too, for any server that sends no header: the fallback page's bootstrap
	// script is allowed by its hash, and only by it.
	const meta = await page.locator('meta[http-equiv="content-security-policy"]').getAttribute('content');
	expectStrict(meta);
	const inline = await page.locator('script:not([src])').count();
	expect(inline).toBeGreaterThan(0);
	expect(directives(meta ?? '').get('script-src')?.filter((s) => s.startsWith("'sha256-"))).toHaveLength(inline);
	// The worker's WebAssembly SHA-256 needs 'wasm-unsafe-eval'; JavaScript eval stays refused.
	expect(directives(meta ?? '').get('script-src')).toContain("'wasm-unsafe-eval'");
	for (const path of ['/service-worker.js', '/_app/version.json']) {
		expectStrict((await request.get(path)).headers()['content-security-policy']);
	}
});

test('every page works under the policy, with no violation from the page, the database worker or the service worker', async ({ page, context }) => {
	const violations = await watchViolations(context);
	await setUp(page);
	await waitForServiceWorker(page);
	const guid = await registerPerson(page, { givenName: 'Ruth', familyName: 'Akot', sex: 'female', dateOfBirth: '1991-01-01' });
	expect(page.workers().length, 'the database worker runs').toBeGreaterThan(0);

	const visits: [string, string][] = [
		['/', 'Casetrail'],
		['/entities', 'People & households'],
		[`/entities/${guid}`, 'Ruth Akot'],
		[`/entities/${guid}/history`, 'History of Ruth Akot'],
		['/register', 'Register an individual'],
		['/households/new', 'Create a household'],
		['/events', 'Event log'],
		['/integrity', 'Integrity check'],
		['/metrics', 'Metrics'],
		['/exchange', 'Exchange'],
		['/users', 'Users'],
		['/users/me', 'Your'],
		['/settings', 'Settings']
	];
	for (const [path, heading] of visits) {
		await go(page, path);
		await expect(page).toHaveURL(new RegExp(`${path.replace(/[/]/g, '\\/')}$`));
		await expect(page.getByRole('heading', { level: 1 })).toContainText(heading);
		await violations.collect(page);
	}

	// Work that runs in the database worker: the whole-log check hashes with the WebAssembly SHA-256;
	// the inspector verifies a proof in the page; an export signs a bundle.
	await go(page, '/integrity');
	await page.getByRole('button', { name: 'Check the whole log' }).click();
	await expect(page.getByTestId('integrity-result')).toHaveAttribute('data-ok', 'true');
	await go(page, '/events');
	await page.getByTestId('log').getByRole('row').nth(1).getByRole('link').first().click();
	await page.getByRole('button', { name: 'Verify in this browser' }).click();
	await expect(page.getByTestId('verify-result')).toHaveAttribute('data-outcome', 'verified');
	await go(page, '/exchange');
	await page.getByLabel('Whole log').check();
	await page.getByRole('button', { name: 'Create bundle' }).click();
	await expect(page.getByTestId('export-ready')).toContainText('Bundle ready');

	// A reload is served by the service worker, from its cache, under the same policy; the worker
	// starts locked, so it opens the sign-in page.
	await page.reload();
	expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
	await signIn(page, ADMIN.name, ADMIN.passphrase);
	await violations.collect(page);
	expect(violations.list).toEqual([]);
});

test('the policy is enforced: an inline script injected into the page does not run and is reported', async ({ page, context }) => {
	const violations = await watchViolations(context);
	await page.goto('/settings');
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	const ran = await page.evaluate(async () => {
		const script = document.createElement('script');
		script.textContent = 'window.__injected = true;';
		document.body.append(script);
		await new Promise((resolve) => setTimeout(resolve, 100));
		return (window as unknown as { __injected?: boolean }).__injected === true;
	});
	expect(ran).toBe(false);
	await violations.collect(page);
	expect(violations.list.some((v) => v.includes('script-src'))).toBe(true);
});
