/**
 * The `casetrail` command line as a person or a script runs it: the built file, spawned with node,
 * on every shared bundle vector (spec/bundle-format.md and spec/projection.md, "Command line").
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_ERROR_CODES, bundleVectors, deviceKeys, sampleLog, VECTORS_DIR } from '../core/bundle/fixtures';
import { buildBundle, buildBundleFrom } from '../../../src/lib/core/bundle/build';
import { attachmentRef } from '../../../src/lib/core/attachments';
import type { BundleV2 } from '../../../src/lib/core/bundle/types';
import type { CasetrailEvent } from '../../../src/lib/core/event';
import type { CommandEnv } from '../../../src/lib/core/commands';
import type { FormDefinition, FormPurpose } from '../../../src/lib/core/forms/definition';
import { parseXForm } from '../../../src/lib/core/forms/parse';
import { decideSubmission, publishFormEvent } from '../../../src/lib/core/forms/submit';
import { FOLLOW_UP_VISIT, individualRegistration } from '../core/forms/xforms';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'cli/bin.mjs');
const FULL = join(VECTORS_DIR, 'valid-full.json');
const SINCE = join(VECTORS_DIR, 'valid-since-3.json');

interface Run {
	code: number;
	stdout: string;
	stderr: string;
}

function casetrail(...args: string[]): Promise<Run> {
	return new Promise((resolve) => {
		execFile(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8' }, (error, stdout, stderr) => {
			const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
			resolve({ code, stdout, stderr });
		});
	});
}

function json(run: Run): Record<string, unknown> {
	const lines = run.stdout.trim().split('\n');
	expect(lines).toHaveLength(1);
	return JSON.parse(lines[0]!) as Record<string, unknown>;
}

beforeAll(async () => {
	// What `npm run build:cli` does (npm ci runs it through "prepare"), so the test runs today's code.
	await build({ root: ROOT, configFile: join(ROOT, 'vite.cli.config.ts'), logLevel: 'silent' });
}, 60_000);

describe('casetrail verify FILE --json', () => {
	for (const { file, path, expected } of bundleVectors()) {
		if (expected === 'ok') {
			it(`${file}: prints {ok, deviceId, treeSize, rootHash, events} and exits 0`, async () => {
				const run = await casetrail('verify', path, '--json');
				expect(run.code).toBe(0);
				const out = json(run);
				expect(Object.keys(out)).toEqual(['ok', 'deviceId', 'treeSize', 'rootHash', 'events', 'version']);
				expect(out).toMatchObject({ ok: true, deviceId: 'AbRW5BiC0z2ds4Zk4g_xD0ikz7qK8rrKVnS8L61whhk', treeSize: 7, version: 1 });
				expect(out['rootHash']).toBe('Dyw2y2e6hKpCp3iLY1qqe4OZwHCXZzGZmBgINoT_H7c');
				expect(out['events']).toBe(file === 'valid-full.json' ? 7 : 4);
			});
		} else {
			it(`${file}: prints {ok:false, error:{code:"${expected}", message}} and exits 1`, async () => {
				const run = await casetrail('verify', path, '--json');
				expect(run.code).toBe(1);
				const out = json(run);
				expect(out).toEqual({ ok: false, error: { code: expected, message: expect.stringMatching(/^[A-Z].+\.$/) } });
				expect(BUNDLE_ERROR_CODES).toContain(expected);
			});
		}
	}
});

describe('casetrail verify FILE (for a person)', () => {
	for (const { file, path, expected } of bundleVectors()) {
		it(`${file}: says ${expected === 'ok' ? 'VALID' : `INVALID (${expected})`} and exits ${expected === 'ok' ? 0 : 1}`, async () => {
			const run = await casetrail('verify', path);
			if (expected === 'ok') {
				expect(run.code).toBe(0);
				expect(run.stdout).toMatch(/^VALID bundle\n  format     version 1\n/);
				expect(run.stdout).toContain('AbRW5BiC0z2ds4Zk4g_xD0ikz7qK8rrKVnS8L61whhk');
				expect(run.stdout).toContain('Dyw2y2e6hKpCp3iLY1qqe4OZwHCXZzGZmBgINoT_H7c');
			} else {
				expect(run.code).toBe(1);
				expect(run.stdout).toMatch(new RegExp(`^INVALID bundle \\(${expected}\\)\\n  [A-Z]`));
			}
			expect(() => JSON.parse(run.stdout)).toThrow();
		});
	}
});

describe('casetrail verify on a version 2 bundle', () => {
	async function v2File(name: string, change: (bundle: BundleV2) => unknown = (b) => b): Promise<{ path: string; bundle: BundleV2 }> {
		const bundle = (await buildBundleFrom({ log: sampleLog(14), from: 12, signer: await deviceKeys(), issuedAt: '2026-11-02T09:00:00.000Z', signedSizes: [3, 10, 12] })) as BundleV2;
		const dir = mkdtempSync(join(tmpdir(), 'casetrail-'));
		const path = join(dir, name);
		writeFileSync(path, JSON.stringify(change(bundle)));
		return { path, bundle };
	}

	it('prints version 2 and the earlier sizes it proves, with their roots, as JSON', async () => {
		const { path, bundle } = await v2File('v2.json');
		const run = await casetrail('verify', path, '--json');
		expect(run.code).toBe(0);
		const out = json(run);
		expect(Object.keys(out)).toEqual(['ok', 'deviceId', 'treeSize', 'rootHash', 'events', 'version', 'consistency', 'attachments']);
		expect(out).toMatchObject({ ok: true, treeSize: 14, events: 2, version: 2, attachments: { count: 0, bytes: 0 } });
		expect(out['consistency']).toEqual(bundle.consistency.map((c) => ({ treeSize: c.treeSize, rootHash: c.rootHash })));
	});

	it('says version 2 and which earlier sizes it proves, for a person', async () => {
		const { path } = await v2File('v2.json');
		const run = await casetrail('verify', path);
		expect(run.code).toBe(0);
		expect(run.stdout).toMatch(/^VALID bundle\n  format     version 2\n/);
		expect(run.stdout).toContain('consistency with the earlier tree sizes 3, 10, 12');
	});

	it('exits 1 with bad-consistency-proof when a proof was altered', async () => {
		const { path } = await v2File('v2-damaged.json', (b) => ({ ...b, consistency: b.consistency.map((c) => (c.treeSize === 10 ? { ...c, proof: c.proof.slice(1) } : c)) }));
		const run = await casetrail('verify', path, '--json');
		expect(run.code).toBe(1);
		expect(json(run)).toMatchObject({ ok: false, error: { code: 'bad-consistency-proof' } });
	});
});

describe('casetrail verify on a bundle with attachments', () => {
	const photo = new Uint8Array(2048).map((_, i) => (i < 3 ? [0xff, 0xd8, 0xff][i]! : (i * 7) & 0xff));

	async function photoFile(name: string, change: (bundle: BundleV2) => unknown = (b) => b): Promise<string> {
		const log = sampleLog(3);
		log[1] = { ...log[1]!, data: { ...log[1]!.data, photo: attachmentRef(photo, 'image/jpeg') } };
		const bundle = (await buildBundleFrom({ log, from: 0, signer: await deviceKeys(), issuedAt: '2026-11-02T09:00:00.000Z', attachments: [photo] })) as BundleV2;
		const dir = mkdtempSync(join(tmpdir(), 'casetrail-'));
		const path = join(dir, name);
		writeFileSync(path, JSON.stringify(change(bundle)));
		return path;
	}

	it('checks each attachment against its hash and says how many and how large', async () => {
		const path = await photoFile('photo.json');
		const out = json(await casetrail('verify', path, '--json'));
		expect(out).toMatchObject({ ok: true, version: 2, attachments: { count: 1, bytes: 2048 } });
		const run = await casetrail('verify', path);
		expect(run.code).toBe(0);
		expect(run.stdout).toContain('attached   1 (2048 bytes), each matching its hash');
	});

	it('exits 1 with attachment-mismatch for changed bytes and attachment-missing for left-out ones', async () => {
		const changed = await photoFile('changed.json', (b) => ({ ...b, attachments: b.attachments!.map((a) => ({ ...a, data: 'AAAA' + a.data.slice(4) })) }));
		const run = await casetrail('verify', changed, '--json');
		expect(run.code).toBe(1);
		expect(json(run)).toMatchObject({ ok: false, error: { code: 'attachment-mismatch' } });
		const missing = await photoFile('missing.json', (b) => ({ ...b, attachments: [] }));
		const second = await casetrail('verify', missing);
		expect(second.code).toBe(1);
		expect(second.stdout).toMatch(/^INVALID bundle \(attachment-missing\)/);
	});
});

describe('casetrail show', () => {
	it('prints the entities of valid-full.json sorted by guid, with nothing skipped', async () => {
		const run = await casetrail('show', FULL, '--json');
		expect(run.code).toBe(0);
		const out = json(run) as { ok: boolean; entities: Record<string, unknown>[]; skipped: unknown[] };
		expect(out.ok).toBe(true);
		expect(out.skipped).toEqual([]);
		expect(out.entities.map((e) => e['guid'])).toEqual([
			'018f6b1e-0000-7000-8000-000000000001',
			'018f6b1e-0000-7000-8000-000000000002',
			'018f6b1e-0000-7000-8000-0000000000a1'
		]);
		const [amina, moussa, household] = out.entities as [Record<string, unknown>, Record<string, unknown>, Record<string, unknown>];
		expect(amina).toMatchObject({ type: 'individual', deleted: false, version: 2, createdAt: '2026-11-02T08:00:00.000Z', lastUpdated: '2026-11-02T08:05:00.000Z' });
		// spec/projection.md: create-individual's data is the event data less null fields, as recorded
		// (these are version 1 events; built-in types are never upcast), then update-individual merges.
		expect(amina['data']).toEqual({ name: 'Amina Diallo', birthDate: '1988-04-12', sex: 'F', phone: '+221 77 000 00 00' });
		expect(amina).not.toHaveProperty('members');
		expect(moussa).toMatchObject({ type: 'individual', version: 1, data: { name: 'Moussa Diallo', birthDate: '2015-09-30', sex: 'M' } });
		expect(household).toMatchObject({
			type: 'group',
			data: { name: 'Diallo household', village: 'Kébémer' },
			members: [{ guid: '018f6b1e-0000-7000-8000-000000000001', role: 'head' }],
			deleted: false,
			version: 4,
			createdAt: '2026-11-02T08:02:00.000Z',
			lastUpdated: '2026-11-02T08:06:00.000Z'
		});
		expect(Object.keys(household)).toEqual(['guid', 'type', 'data', 'members', 'deleted', 'version', 'createdAt', 'lastUpdated']);
	});

	it('with --at, replays only the events at or before that instant', async () => {
		const run = await casetrail('show', FULL, '--at', '2026-11-02T08:04:00Z', '--json');
		expect(run.code).toBe(0);
		const out = json(run) as { entities: Record<string, unknown>[]; skipped: unknown[] };
		const household = out.entities.find((e) => e['guid'] === '018f6b1e-0000-7000-8000-0000000000a1');
		// 08:04 is the second add-member, inclusive; the removal at 08:06 has not happened yet.
		expect(household).toMatchObject({
			members: [
				{ guid: '018f6b1e-0000-7000-8000-000000000001', role: 'head' },
				{ guid: '018f6b1e-0000-7000-8000-000000000002', role: 'child' }
			],
			version: 3,
			lastUpdated: '2026-11-02T08:04:00.000Z'
		});
		const amina = out.entities.find((e) => e['guid'] === '018f6b1e-0000-7000-8000-000000000001');
		expect(amina).toMatchObject({ version: 1 });
		expect(amina?.['data']).toEqual({ name: 'Amina Diallo', birthDate: '1988-04-12', sex: 'F' });
		expect(out.skipped).toEqual([]);
	});

	it('with --at in another zone, compares instants, not text (09:03:30+01:00 is 08:03:30Z)', async () => {
		const out = json(await casetrail('show', FULL, '--json', '--at=2026-11-02T09:03:30+01:00')) as { entities: Record<string, unknown>[] };
		const household = out.entities.find((e) => e['guid'] === '018f6b1e-0000-7000-8000-0000000000a1');
		expect(household).toMatchObject({ version: 2, members: [{ guid: '018f6b1e-0000-7000-8000-000000000001', role: 'head' }] });
	});

	it('with --at before the first event, shows no entities', async () => {
		const out = json(await casetrail('show', FULL, '--at', '2026-11-02T07:59:59.999Z', '--json'));
		expect(out).toEqual({ ok: true, entities: [], skipped: [] });
	});

	it('reports the events of a since-bundle that have no entity to apply to as skipped, with reasons', async () => {
		const out = json(await casetrail('show', SINCE, '--json')) as { entities: unknown[]; skipped: { guid: string; reason: string; message: string }[] };
		expect(out.entities).toEqual([]);
		expect(out.skipped.map((s) => s.guid).sort()).toEqual([
			'018f6b1e-1000-7000-8000-000000000004',
			'018f6b1e-1000-7000-8000-000000000005',
			'018f6b1e-1000-7000-8000-000000000006',
			'018f6b1e-1000-7000-8000-000000000007'
		]);
		for (const s of out.skipped) {
			expect(s.reason).toBe('entity-missing');
			expect(s.message).toMatch(/\w/);
		}
	});

	it('prints a readable list for a person', async () => {
		const run = await casetrail('show', FULL);
		expect(run.code).toBe(0);
		expect(run.stdout).toMatch(/^VALID bundle \(format version 1\) from device AbRW5BiC0z2ds4Zk4g_xD0ikz7qK8rrKVnS8L61whhk: 7 events/);
		expect(run.stdout).toContain('group 018f6b1e-0000-7000-8000-0000000000a1 (version 4;');
		expect(run.stdout).toContain('    018f6b1e-0000-7000-8000-000000000001 (head)');
		expect(run.stdout).toContain('  village: Kébémer');
		expect(run.stdout).toContain('  name: Amina Diallo');
		expect(run.stdout).toContain('  sex: F');
	});

	for (const { file, path, expected } of bundleVectors().filter((v) => v.expected !== 'ok')) {
		it(`on ${file}, exits 1 with the same error object as verify`, async () => {
			const run = await casetrail('show', path, '--json');
			expect(run.code).toBe(1);
			expect(json(run)).toEqual(json(await casetrail('verify', path, '--json')));
			expect((json(run)['error'] as { code: string }).code).toBe(expected);
		});
	}
});

describe('casetrail usage and files', () => {
	it('exits 2 when the file does not exist, saying so, and as JSON with --json', async () => {
		const missing = join(tmpdir(), 'casetrail-no-such-bundle.json');
		const run = await casetrail('verify', missing);
		expect(run.code).toBe(2);
		expect(run.stderr).toContain('no such file');
		expect(run.stdout).toBe('');
		const asJson = await casetrail('show', missing, '--json');
		expect(asJson.code).toBe(2);
		expect(json(asJson)).toEqual({ ok: false, error: { code: 'unreadable-file', message: expect.stringContaining(missing) } });
	});

	it('exits 2 when the path is a folder', async () => {
		expect((await casetrail('verify', VECTORS_DIR)).code).toBe(2);
	});

	it('exits 1 with malformed for a file that is not UTF-8', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'casetrail-'));
		const path = join(dir, 'latin1.json');
		writeFileSync(path, Buffer.from([0x7b, 0xe9, 0x7d]));
		const run = await casetrail('verify', path, '--json');
		expect(run.code).toBe(1);
		expect(json(run)).toMatchObject({ ok: false, error: { code: 'malformed' } });
	});

	it('prints the usage and exits 0 for --help', async () => {
		for (const args of [['--help'], ['-h'], ['verify', '--help'], ['show', FULL, '--help']]) {
			const run = await casetrail(...args);
			expect(run.code).toBe(0);
			expect(run.stdout).toContain('casetrail verify FILE [--json]');
			expect(run.stdout).toContain('casetrail show FILE [--at ISO-INSTANT] [--json]');
		}
	});

	const usageErrors: [string, string[], RegExp][] = [
		['no arguments', [], /no command/],
		['an unknown command', ['check', FULL], /unknown command "check"/],
		['an unknown option', ['verify', FULL, '--jsn'], /unknown option --jsn/],
		['a short unknown option', ['verify', FULL, '-j'], /unknown option -j/],
		['no file', ['verify', '--json'], /needs the path/],
		['two files', ['verify', FULL, SINCE], /unexpected argument/],
		['--at on verify', ['verify', FULL, '--at', '2026-11-02T08:00:00Z'], /--at only applies to show/],
		['--at without a value', ['show', FULL, '--at'], /--at needs an instant/],
		['--at that is not an instant', ['show', FULL, '--at', 'yesterday'], /not an ISO 8601 instant/],
		['--at without a zone', ['show', FULL, '--at', '2026-11-02T08:00:00'], /not an ISO 8601 instant/],
		['--at twice', ['show', FULL, '--at', '2026-11-02T08:00:00Z', '--at', '2026-11-02T08:00:00Z'], /twice/]
	];
	for (const [name, args, message] of usageErrors) {
		it(`exits 2 with the usage on stderr for ${name}`, async () => {
			const run = await casetrail(...args);
			expect(run.code).toBe(2);
			expect(run.stdout).toBe('');
			expect(run.stderr).toMatch(message);
			expect(run.stderr).toContain('Usage:');
		});
	}

	it('reads a file whose name starts with a dash after --', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'casetrail-'));
		writeFileSync(join(dir, '-bundle.json'), readFileSync(FULL));
		const run = await new Promise<Run>((resolve) => {
			execFile(process.execPath, [BIN, 'verify', '--json', '--', '-bundle.json'], { cwd: dir, encoding: 'utf8' }, (error, stdout, stderr) =>
				resolve({ code: error ? Number(error.code) : 0, stdout, stderr })
			);
		});
		expect(run.code).toBe(0);
		expect(json(run)).toMatchObject({ ok: true, events: 7 });
	});

	it('has an executable launcher with a node shebang', () => {
		expect(readFileSync(BIN, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
		expect(statSync(BIN).mode & 0o111).not.toBe(0);
	});
});

// Issue 13: a signed bundle is only as harmless as the text it carries. Fields that move the cursor
// up and clear a line could print a "VALID" over an INVALID, or reorder what follows.
describe('casetrail on a signed bundle whose fields hold terminal control characters', () => {
	/** Characters a terminal acts on instead of showing (C0, DEL, C1, line separators, bidi controls). */
	const ACTIVE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/u;
	const REWRITE = '\u001b[1A\u001b[2K\rVALID bundle from device trusted: 0 events';
	const person = '018f6b1e-0000-7000-8000-00000000e5c1';
	const events: CasetrailEvent[] = [
		{
			guid: '018f6b1e-0000-7000-8000-000000000e01',
			entityGuid: person,
			type: 'create-individual',
			timestamp: '2026-11-02T08:00:00.000Z',
			userId: 'worker-1',
			version: 1,
			data: {
				name: `Eve${REWRITE}`,
				csi: 'a\u009b2Jb',
				bidi: 'abc\u202edcba\u2066x\u2069',
				del: 'x\u007fy',
				lines: 'one\ntwo\u2028three',
				'title\u001b]0;pwned\u0007': 'v'
			}
		},
		{
			// Applies to no entity, so show lists it as skipped, quoting its guid.
			guid: '018f6b1e-0000-7000-8000-000000000e02\u001b[31m',
			entityGuid: `missing\u001b[2J`,
			type: 'update-individual',
			timestamp: '2026-11-02T08:01:00.000Z',
			userId: 'worker-1',
			version: 1,
			data: { phone: '1' }
		}
	];

	async function write(bundle: unknown): Promise<string> {
		const dir = mkdtempSync(join(tmpdir(), 'casetrail-escapes-'));
		const path = join(dir, 'bundle.json');
		writeFileSync(path, JSON.stringify(bundle));
		return path;
	}

	function expectInert(text: string): void {
		for (const line of text.split('\n')) expect(line).not.toMatch(ACTIVE);
	}

	it('show prints every control character as a visible escape, and one VALID line', async () => {
		const path = await write(await buildBundle({ events, from: 0, prefix: [], signer: await deviceKeys() }));
		const run = await casetrail('show', path);
		expect(run.code).toBe(0);
		expectInert(run.stdout);
		expect(run.stdout.split('\n').filter((line) => line.startsWith('VALID'))).toHaveLength(1);
		expect(run.stdout).toMatch(/^VALID bundle \(format version 2\) from device [\w-]+: 2 events/);
		expect(run.stdout).toContain('  name: Eve\\u{1B}[1A\\u{1B}[2K\\u{D}VALID bundle from device trusted: 0 events\n');
		expect(run.stdout).toContain('  csi: a\\u{9B}2Jb\n');
		expect(run.stdout).toContain('  bidi: abc\\u{202E}dcba\\u{2066}x\\u{2069}\n');
		expect(run.stdout).toContain('  del: x\\u{7F}y\n');
		expect(run.stdout).toContain('  lines: one\\u{A}two\\u{2028}three\n');
		expect(run.stdout).toContain('  title\\u{1B}]0;pwned\\u{7}: v\n');
		expect(run.stdout).toContain('  018f6b1e-0000-7000-8000-000000000e02\\u{1B}[31m (entity-missing)');
	});

	it('show --json still carries the values exactly', async () => {
		const path = await write(await buildBundle({ events, from: 0, prefix: [], signer: await deviceKeys() }));
		const out = json(await casetrail('show', path, '--json')) as { entities: { data: Record<string, unknown> }[] };
		expect(out.entities[0]!.data['name']).toBe(`Eve${REWRITE}`);
	});

	it('verify prints the error of an invalid event, which quotes its guid, as visible escapes', async () => {
		const bad = { ...events[0]!, guid: `x${REWRITE}`, data: 'not an object' } as unknown as CasetrailEvent;
		const valid = await buildBundle({ events: [events[0]!], from: 0, prefix: [], signer: await deviceKeys() });
		const path = await write({ ...valid, events: [bad] });
		const run = await casetrail('verify', path);
		expect(run.code).toBe(1);
		expectInert(run.stdout);
		expect(run.stdout).toMatch(/^INVALID bundle \(invalid-event\)\n/);
		expect(run.stdout).toContain('x\\u{1B}[1A');
	});

	it('prints a file name with control characters as visible escapes', async () => {
		const run = await casetrail('verify', join(tmpdir(), 'no-such\u001b[2J.json'));
		expect(run.code).toBe(2);
		expectInert(run.stderr);
		expect(run.stderr).toContain('no-such\\u{1B}[2J.json');
	});
});

describe('casetrail show past the bundle limits (issue 13)', () => {
	it('refuses a bundle that gives a group more than 1,000 members with limit-exceeded and exit 1, which verify still calls valid', async () => {
		const t = (i: number): string => new Date(Date.UTC(2026, 10, 2, 8) + i * 1000).toISOString();
		const events: CasetrailEvent[] = [{ guid: 'g-create', entityGuid: 'g-1', type: 'create-group', data: { name: 'Crafted' }, timestamp: t(0), userId: 'u-1' }];
		for (let i = 0; i < 1001; i++) events.push({ guid: `g-add-${i}`, entityGuid: 'g-1', type: 'add-member', data: { memberGuid: `p-${i}`, role: 'child' }, timestamp: t(i + 1), userId: 'u-1' });
		const file = join(mkdtempSync(join(tmpdir(), 'casetrail-limits-')), 'crafted.json');
		writeFileSync(file, JSON.stringify(await buildBundle({ events, from: 0, prefix: [], signer: await deviceKeys(), issuedAt: '2026-11-02T09:00:00.000Z' })));
		const shown = await casetrail('show', file, '--json');
		expect(shown.code).toBe(1);
		expect(json(shown)).toEqual({ ok: false, error: { code: 'limit-exceeded', message: expect.stringContaining('at most 1,000 members per group') } });
		const verified = await casetrail('verify', file, '--json');
		expect(verified.code).toBe(0);
		expect(json(verified)).toMatchObject({ ok: true, events: 1002 });
	});
});

describe('casetrail show names who recorded the events (issue 15, point 8)', () => {
	const alice = '018f6b1e-0000-7000-8000-00000000a11c';
	const person = '018f6b1e-0000-7000-8000-00000000e5c2';
	const created: CasetrailEvent = {
		guid: '018f6b1e-0000-7000-8000-000000000f01',
		entityGuid: person,
		type: 'create-individual',
		timestamp: '2026-11-02T08:00:00.000Z',
		userId: alice,
		version: 1,
		data: { givenName: 'Amina' }
	};
	const description = (data: Record<string, unknown>): CasetrailEvent => ({
		guid: '018f6b1e-0000-7000-8000-000000000f02',
		entityGuid: 'casetrail-users',
		type: 'describe-user',
		timestamp: '2026-11-02T08:01:00.000Z',
		userId: alice,
		version: 1,
		metadata: { deviceId: 'AbRW5BiC0z2ds4Zk4g_xD0ikz7qK8rrKVnS8L61whhk' },
		data
	});

	async function write(events: CasetrailEvent[]): Promise<string> {
		const dir = mkdtempSync(join(tmpdir(), 'casetrail-users-'));
		const path = join(dir, 'bundle.json');
		writeFileSync(path, JSON.stringify(await buildBundle({ events, from: 0, prefix: [], signer: await deviceKeys() })));
		return path;
	}

	/** The device that signed the bundle `show` read (deviceKeys' key), as its first line names it. */
	const signerOf = (run: Run): string => {
		const id = /^VALID bundle \(format version \d\) from device (\S+):/.exec(run.stdout)?.[1];
		expect(id).toBeDefined();
		expect(id).not.toBe('AbRW5BiC0z2ds4Zk4g_xD0ikz7qK8rrKVnS8L61whhk');
		return id!;
	};

	it('prints the name, role and signing device of each recorder, and lists them under users with --json', async () => {
		const path = await write([created, description({ userId: alice, name: 'Alice Admin', role: 'administrator' })]);
		const run = await casetrail('show', path);
		expect(run.code).toBe(0);
		// The device shown is the bundle's signer, not the metadata.deviceId the event carries (AbRW5BiC…).
		const signer = signerOf(run);
		expect(run.stdout).toContain(`  recorded by: Alice Admin (administrator, device ${signer.slice(0, 8)})`);
		expect(run.stdout).toContain('1 users described');
		const out = json(await casetrail('show', path, '--json'));
		expect(out['users']).toEqual([{ id: alice, name: 'Alice Admin', role: 'administrator', deviceId: signer, describedAt: '2026-11-02T08:01:00.000Z' }]);
		// The description is read as a user, not reported as an event no applier projects.
		expect(out['skipped']).toEqual([]);
	});

	it('names the bundle’s signer as the describing device, and a relayed future-dated description in another device’s name does not win', async () => {
		const other = 'OtherDeviceOtherDeviceOtherDeviceOtherDevic';
		const genuine = { ...description({ userId: alice, name: 'Alice Admin', role: 'administrator' }), metadata: { deviceId: other } };
		const forged: CasetrailEvent = {
			...description({ userId: alice, name: 'Mallory', role: 'administrator' }),
			guid: '018f6b1e-0000-7000-8000-000000000f03',
			timestamp: '2099-01-01T00:00:00.000Z',
			metadata: { deviceId: other }
		};
		const path = await write([created, genuine, forged]);
		const run = await casetrail('show', path);
		expect(run.code).toBe(0);
		const signer = signerOf(run);
		expect(run.stdout).toContain(`  recorded by: Alice Admin (administrator, device ${signer.slice(0, 8)})`);
		expect(run.stdout).not.toContain('Mallory');
		expect(run.stdout).not.toContain('device OtherDev');
		const out = json(await casetrail('show', path, '--json'));
		expect(out['users']).toEqual([{ id: alice, name: 'Alice Admin', role: 'administrator', deviceId: signer, describedAt: '2026-11-02T08:01:00.000Z' }]);
	});

	it('refuses a description with a huge name, exit 1 and profile-invalid', async () => {
		const path = await write([created, description({ userId: alice, name: 'A'.repeat(5000), role: 'administrator' })]);
		const run = await casetrail('show', path, '--json');
		expect(run.code).toBe(1);
		expect((json(run)['error'] as { code: string }).code).toBe('profile-invalid');
	});
});

describe('casetrail show on a bundle with programme forms (issue 16)', () => {
	const at = (minute: number): Date => new Date(Date.UTC(2026, 11, 1, 9, minute));
	let guids = 0;
	const env = (minute: number): CommandEnv => ({ now: () => at(minute), newGuid: () => `018f6b1e-2000-7000-8000-${String(++guids).padStart(12, '0')}`, userId: 'ada' });
	const formOf = (xml: string, purpose?: FormPurpose): FormDefinition => {
		const parsed = parseXForm(xml);
		return { ...parsed.definition, purpose: (parsed.purpose ?? purpose) as FormPurpose };
	};
	const beneficiary = formOf(individualRegistration('1'));
	const followUp = formOf(FOLLOW_UP_VISIT, { kind: 'event', eventType: 'visit-recorded' });

	async function bundle(): Promise<string> {
		const published = [publishFormEvent(beneficiary, env(0)), publishFormEvent(followUp, env(1))];
		const answers = { first_name: 'Amina', last_name: 'Diallo', sex: 'female', dob: '1987-05-02', income: '120.5' };
		const created = decideSubmission(beneficiary, { formId: beneficiary.formId, version: '1', answers }, undefined, env(2));
		const person = { guid: created.entityGuid, type: 'individual', data: created.data, deleted: false, version: 1, createdAt: created.timestamp, lastUpdated: created.timestamp };
		const visit = decideSubmission(followUp, { formId: followUp.formId, version: followUp.version, answers: { seen: 'yes', condition: 'Better' }, entityGuid: person.guid }, person, env(3));
		const assistance: CasetrailEvent = { guid: '018f6b1e-2000-7000-8000-0000000000a1', entityGuid: person.guid, type: 'assistance-provided', timestamp: at(4).toISOString(), userId: 'ada', data: { kind: 'cash' } };
		// A definition changed after it was hashed: no device uses it, and show says why.
		const tampered = publishFormEvent({ ...beneficiary, version: '2' }, env(5));
		tampered.data = { ...tampered.data, definition: { ...(tampered.data.definition as FormDefinition), title: 'Changed' } };
		const events = [...published, created, visit, assistance, tampered];
		const dir = mkdtempSync(join(tmpdir(), 'casetrail-forms-'));
		const path = join(dir, 'forms.json');
		writeFileSync(path, JSON.stringify(await buildBundle({ events, from: 0, prefix: [], signer: await deviceKeys(), issuedAt: '2026-12-01T10:00:00.000Z' })));
		return path;
	}

	it('lists the published forms, applies visit-recorded and assistance-provided, and reports only the publish-form that publishes nothing', async () => {
		const path = await bundle();
		const run = await casetrail('show', path, '--json');
		expect(run.code).toBe(0);
		const out = json(run) as { entities: { type: string; data: Record<string, unknown> }[]; forms: Record<string, unknown>[]; skipped: { guid: string; reason: string; message: string }[] };
		expect(out.entities).toHaveLength(1);
		expect(out.entities[0]).toMatchObject({
			type: 'individual',
			version: 3,
			data: { givenName: 'Amina', familyName: 'Diallo', sex: 'female', dateOfBirth: '1987-05-02', income: 120.5, visitCount: 1, lastVisitAt: '2026-12-01T09:03:00.000Z', assistanceCount: 1, lastAssistanceAt: '2026-12-01T09:04:00.000Z' }
		});
		expect(out.forms).toEqual([
			{ formId: 'beneficiary', version: '1', title: 'Beneficiary registration', purpose: 'register-individual', hash: expect.stringMatching(/^[0-9a-f]{64}$/), event: expect.any(String), publishedAt: '2026-12-01T09:00:00.000Z', publishedBy: 'ada' },
			{ formId: followUp.formId, version: followUp.version, title: 'Follow-up visit', purpose: 'event-visit-recorded', hash: expect.stringMatching(/^[0-9a-f]{64}$/), event: expect.any(String), publishedAt: '2026-12-01T09:01:00.000Z', publishedBy: 'ada' }
		]);
		// Not "no applier" for the forms that are published: only the tampered one, as invalid data.
		expect(out.skipped).toHaveLength(1);
		expect(out.skipped[0]).toMatchObject({ reason: 'invalid-data', message: expect.stringContaining('does not match the hash') });
	});

	it('prints the forms for a person, and the skipped publish-form with its reason', async () => {
		const run = await casetrail('show', await bundle());
		expect(run.code).toBe(0);
		expect(run.stdout).toContain('  visitCount: 1\n');
		expect(run.stdout).toContain('  assistanceCount: 1\n');
		expect(run.stdout).toContain('2 forms published:\n  beneficiary version 1: Beneficiary registration (registers an individual), published 2026-12-01T09:00:00.000Z by ada, sha256 ');
		expect(run.stdout).toContain('Follow-up visit (records a visit)');
		expect(run.stdout).toMatch(/1 events skipped:\n {2}\S+ \(invalid-data\): The form beneficiary 2 does not match/);
		expect(run.stdout).not.toContain('no-applier');
	});

	it('with --at before the forms were published, lists none', async () => {
		const out = json(await casetrail('show', await bundle(), '--json', '--at', '2026-12-01T08:59:00Z'));
		expect(out).toEqual({ ok: true, entities: [], skipped: [] });
	});
});
