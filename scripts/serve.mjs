#!/usr/bin/env node
// Serves the built single-page app on localhost: files as they are, every other path as the
// fallback page (so deep links work), and the service worker never from an HTTP cache (so an update
// is seen on the next visit). Usage: node scripts/serve.mjs [--dir build] [--port 4173]
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';

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
	'.woff2': 'font/woff2'
};

async function file(path) {
	try {
		const info = await stat(path);
		return info.isFile() ? path : null;
	} catch {
		return null;
	}
}

const server = createServer(async (req, res) => {
	const url = new URL(req.url ?? '/', 'http://localhost');
	const wanted = normalize(join(root, decodeURIComponent(url.pathname)));
	if (!wanted.startsWith(root)) {
		res.writeHead(403).end();
		return;
	}
	let path = await file(wanted);
	if (!path && !extname(url.pathname)) path = join(root, 'index.html');
	if (!path) {
		res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
		return;
	}
	const headers = { 'content-type': types[extname(path)] ?? 'application/octet-stream' };
	if (url.pathname.startsWith('/_app/immutable/')) headers['cache-control'] = 'public, max-age=31536000, immutable';
	else headers['cache-control'] = 'no-cache';
	res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : await readFile(path));
});

server.listen(port, host, () => {
	console.log(`Casetrail is served at http://localhost:${port}/ (from ${root}). Ctrl+C stops it.`);
});
