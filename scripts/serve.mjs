#!/usr/bin/env node
// Serves the built single-page app on localhost: files as they are, every other path as the
// fallback page (so deep links work), and the service worker never from an HTTP cache (so an update
// is seen on the next visit). Usage: node scripts/serve.mjs [--dir build] [--port 4173] [--host 127.0.0.1]
// (--port 0 takes a free port; the line it prints names the port it got).
//
// Request paths are attacker-controlled: a path is decoded once, and a file is served only when the
// resolved path lies inside the folder; a path that does not decode is a 400, never a crash.
//
// Every response carries the Content-Security-Policy of the built page (the <meta> that SvelteKit's
// kit.csp writes into it, with its script hashes), plus what a <meta> cannot say: the database worker
// and the service worker take their policy from their own script's response, not from the page.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';

const args = process.argv.slice(2);
const option = (name, fallback) => {
	const at = args.indexOf(`--${name}`);
	return at >= 0 && args[at + 1] ? args[at + 1] : fallback;
};
const root = resolve(option('dir', 'build'));
const port = Number(option('port', process.env.PORT ?? '4173'));
const host = option('host', '127.0.0.1');

const types = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.json': 'application/json; charset=utf-8',
	'.webmanifest': 'application/manifest+json; charset=utf-8',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.ico': 'image/x-icon',
	'.txt': 'text/plain; charset=utf-8',
	'.woff2': 'font/woff2',
	'.wasm': 'application/wasm'
};

// Only a header can forbid framing (clickjacking); browsers ignore frame-ancestors in a <meta>.
const HEADER_ONLY = "frame-ancestors 'none'";

/** The content of the page's `<meta http-equiv="content-security-policy">`, or undefined. */
function metaPolicy(html) {
	const tag = /<meta http-equiv="content-security-policy" content="([^"]*)"/i.exec(html);
	// SvelteKit escapes only & and " in the attribute.
	return tag ? tag[1].replaceAll('&quot;', '"').replaceAll('&amp;', '&') : undefined;
}

/** The policy header for a page's policy, or undefined when the build ships none (e.g. the bench page). */
function policyHeader(policy) {
	return policy === undefined ? undefined : `${policy}; ${HEADER_ONLY}`;
}

/** True when `path` (absolute, resolved) is `root` or lies below it: a path test, not a prefix test. */
function within(path) {
	const below = relative(root, path);
	return below !== '..' && !below.startsWith(`..${sep}`) && !isAbsolute(below);
}

/** The file at `path` inside `root`, or null when it lies outside it or is not a file. */
async function file(path) {
	if (!within(path)) return null;
	try {
		const info = await stat(path);
		return info.isFile() ? path : null;
	} catch {
		return null;
	}
}

const fallback = join(root, 'index.html');
// The fallback page's policy also covers responses that are not pages (scripts, workers, wasm).
let defaultPolicy;
try {
	defaultPolicy = metaPolicy(await readFile(fallback, 'utf8'));
} catch {
	defaultPolicy = undefined;
}

async function respond(req, res) {
	const url = new URL(req.url ?? '/', 'http://localhost');
	let decoded;
	try {
		decoded = decodeURIComponent(url.pathname);
	} catch {
		res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Bad request: the path is not valid percent-encoded UTF-8.');
		return;
	}
	if (decoded.includes('\0')) {
		res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Bad request: the path holds a NUL character.');
		return;
	}
	// Resolved against the folder, so "..", however it was spelled before decoding, is checked by within().
	const wanted = resolve(root, `.${decoded}`);
	if (!within(wanted)) {
		res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end('Forbidden');
		return;
	}
	let path = await file(wanted);
	if (!path && !extname(decoded)) path = await file(fallback);
	if (!path) {
		res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
		return;
	}
	const body = await readFile(path);
	const headers = { 'content-type': types[extname(path)] ?? 'application/octet-stream', 'x-content-type-options': 'nosniff' };
	const policy = policyHeader(extname(path) === '.html' ? metaPolicy(body.toString('utf8')) : defaultPolicy);
	if (policy !== undefined) headers['content-security-policy'] = policy;
	if (url.pathname.startsWith('/_app/immutable/')) headers['cache-control'] = 'public, max-age=31536000, immutable';
	else headers['cache-control'] = 'no-cache';
	res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : body);
}

const server = createServer((req, res) => {
	respond(req, res).catch((error) => {
		// One failed request (a file removed while read, a closed socket) must not stop the server.
		console.error(`serve.mjs: ${req.method} ${req.url}: ${error instanceof Error ? error.message : String(error)}`);
		if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
		res.end();
	});
});

server.listen(port, host, () => {
	const { port: actual } = server.address();
	console.log(`Casetrail is served at http://localhost:${actual}/ (from ${root}). Ctrl+C stops it.`);
});
