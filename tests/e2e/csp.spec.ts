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

const CHANNEL = 'casetrail-test-csp';

/**
 * Prepended to the database worker's and the service worker's scripts by the test only: a worker's
 * violations are events on its own global scope, which nothing outside it can listen to, so they
 * are passed to the page on a BroadcastChannel. The first message says the probe is in place.
 */
const PROBE = `{
	const channel = new BroadcastChannel(${JSON.stringify(CHANNEL)});
	const scope = self.constructor.name;
	channel.postMessage({ probe: scope });
	self.addEventListener('securitypolicyviolation', (e) => channel.postMessage({ violation: scope + ': ' + e.effectiveDirective + ' blocked ' + e.blockedURI + ' at ' + e.sourceFile + ':' + e.lineNumber }));
}
`;

interface Watch {
	/** Reads what `page` has seen so far into the totals; call it before the page's document goes. */
	read(page: Page): Promise<void>;
	/** Every violation reported, by the pages, the database worker and the service worker. */
	violations: Set<string>;
	/** The worker scopes whose probe reported in (DedicatedWorkerGlobalScope, ServiceWorkerGlobalScope). */
	probes: Set<string>;
}

/**
 * Watches for every CSP violation in the context: `securitypolicyviolation` events in each page
 * (listened for before the page's own scripts run) and in the database worker and the service worker
 * (through {@link PROBE}), and the console messages Chromium writes for a violation.
 */
async function watchViolations(context: BrowserContext): Promise<Watch> {
	const fromConsole: string[] = [];
	const onConsole = (where: string) => (message: ConsoleMessage) => {
		if (isCspMessage(message.text())) fromConsole.push(`${where} console: ${message.text()}`);
	};
	await context.route(/\/_app\/immutable\/workers\/[^/]+\.js$|\/service-worker\.js$/, async (route) => {
		const response = await route.fetch();
		await route.fulfill({ response, body: PROBE + (await response.text()) });
	});
	await context.addInitScript((channelName) => {
		const seen = { violations: [] as string[], probes: [] as string[] };
		(window as unknown as { __csp: typeof seen }).__csp = seen;
		document.addEventListener('securitypolicyviolation', (e) =>
			seen.violations.push(`page: ${e.effectiveDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`)
		);
		new BroadcastChannel(channelName).onmessage = (event: MessageEvent<{ probe?: string; violation?: string }>) => {
			if (event.data.probe !== undefined) seen.probes.push(event.data.probe);
			if (event.data.violation !== undefined) seen.violations.push(event.data.violation);
		};
	}, CHANNEL);
	const watchPage = (page: Page) => {
		page.on('console', onConsole('page'));
		page.on('worker', (worker) => worker.on('console', onConsole(`worker ${worker.url()}`)));
	};
	context.pages().forEach(watchPage);
	context.on('page', watchPage);
	context.on('serviceworker', (worker) => worker.on('console', onConsole(`service worker ${worker.url()}`)));
	const violations = new Set<string>();
	const probes = new Set<string>();
	return {
		violations,
		probes,
		read: async (page) => {
			const seen = await page.evaluate(() => (window as unknown as { __csp?: { violations: string[]; probes: string[] } }).__csp ?? { violations: [], probes: [] });
			for (const v of [...fromConsole, ...seen.violations]) violations.add(v);
			for (const p of seen.probes) probes.add(p);
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
	const watch = await watchViolations(context);
	await setUp(page);
	expectStrict(await page.locator('meta[http-equiv="content-security-policy"]').getAttribute('content'));
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
		await watch.read(page);
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

	await watch.read(page);
	// A reload is served by the service worker, from its cache, under the same policy; the worker
	// starts locked, so it opens the sign-in page.
	await page.reload();
	expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
	await signIn(page, ADMIN.name, ADMIN.passphrase);
	await go(page, '/integrity');
	await page.getByRole('button', { name: 'Check the whole log' }).click();
	await expect(page.getByTestId('integrity-result')).toHaveAttribute('data-ok', 'true');
	// The probes prove the workers' listeners were in place, so an empty list means no violation.
	await expect.poll(async () => (await watch.read(page), [...watch.probes].sort())).toEqual(['DedicatedWorkerGlobalScope', 'ServiceWorkerGlobalScope']);
	expect([...watch.violations]).toEqual([]);
});

test('the policy is enforced: an inline script injected into the page does not run and is reported', async ({ page, context }) => {
	const watch = await watchViolations(context);
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
	await watch.read(page);
	expect([...watch.violations].some((v) => v.includes('script-src'))).toBe(true);
});
