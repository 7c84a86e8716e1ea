// The version of a build: package.json's version, then as semver build metadata the commit it was
// built from and the time it was built, e.g. 0.1.0+e46cea9.20261203T091122Z. It is SvelteKit's
// version name (the page footer, _app/version.json, the service worker's cache name, the update
// check) and every event's metadata.appVersion, so an event names the exact build that wrote it.
// The build time keeps two builds of one commit apart: the service worker and the update prompt
// tell versions apart by this name, and a rebuild must be offered as an update.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

// svelte.config.js and vite.config.ts both ask, and a build loads each of them more than once:
// the first answer is kept in the environment so that every load of one build agrees.
const KEY = 'CASETRAIL_BUILD_VERSION';

/** @returns {string} */
export function appVersion() {
	return (process.env[KEY] ??= compute());
}

function compute() {
	const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
	const built = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
	const commit = gitCommit();
	return `${pkg.version}+${commit === undefined ? '' : `${commit}.`}${built}`;
}

/** The short hash of the checked-out commit, or undefined outside a git checkout (a tarball). */
function gitCommit() {
	try {
		const hash = execFileSync('git', ['rev-parse', '--short=7', 'HEAD'], {
			cwd: new URL('..', import.meta.url),
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'ignore']
		}).trim();
		return /^[0-9a-f]{7,40}$/.test(hash) ? hash : undefined;
	} catch {
		return undefined;
	}
}
