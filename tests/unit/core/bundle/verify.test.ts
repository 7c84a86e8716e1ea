import { describe, expect, it } from 'vitest';
import { buildBundle, buildBundleFrom, eventLeafHash, prefixFromLeafHashes } from '../../../../src/lib/core/bundle/build';
import { verifyBundle, verifyBundleResult } from '../../../../src/lib/core/bundle/verify';
import { rootFromRange } from '../../../../src/lib/core/merkle/compact';
import { bytesToBase64url } from '../../../../src/lib/core/encoding';
import { MAX_JSON_DEPTH } from '../../../../src/lib/core/bundle/json';
import type { Bundle } from '../../../../src/lib/core/bundle/types';
import type { CasetrailEvent } from '../../../../src/lib/core/event';
import { deviceKeys, otherDeviceKeys, resign, sampleLog, viaJson } from './fixtures';

async function fullBundle(n = 5): Promise<Bundle> {
	return viaJson(await buildBundle({ events: sampleLog(n), from: 0, prefix: [], signer: await deviceKeys(), issuedAt: '2026-11-02T09:00:00.000Z' }));
}

/** Re-signs `bundle` over the root its own events and prefix give, so only the checks after the signature can fail. */
async function resignHonestly(bundle: Bundle): Promise<Bundle> {
	const prefix = bundle.log.prefix.map((p) => Buffer.from(p, 'base64url'));
	const root = rootFromRange(bundle.log.from, prefix, bundle.events.map(eventLeafHash));
	return resign(bundle, { treeSize: bundle.log.from + bundle.events.length, rootHash: root }, await deviceKeys());
}

async function codeOf(input: unknown): Promise<string> {
	const r = await verifyBundleResult(input);
	return r.ok ? 'ok' : r.error.code;
}

describe('verifyBundle', () => {
	it('accepts a bundle given as text or as a parsed value alike', async () => {
		const bundle = await fullBundle();
		expect(await codeOf(bundle)).toBe('ok');
		expect(await codeOf(JSON.stringify(bundle, null, 2))).toBe('ok');
	});

	it('hands out its own copy of the events: changing the input afterwards changes nothing verified', async () => {
		const bundle = await fullBundle();
		const v = await verifyBundle(bundle);
		(bundle.events[0] as CasetrailEvent).data['name'] = 'Someone else';
		expect(v.events[0]).not.toBe(bundle.events[0]);
		expect(v.events[0]?.data['name']).toBe('Household 0');
		expect(v.leafHashes[0]).toEqual(eventLeafHash(v.events[0]!));
	});

	describe('checks in the spec order, so the first failing check names the error', () => {
		it('unsupported-format before a malformed log', async () => {
			const b = { ...(await fullBundle()), format: 'casetrail.bundle', version: 3, log: 'nope' };
			expect(await codeOf(b)).toBe('unsupported-format');
		});

		it('malformed shapes before a bad signature', async () => {
			const b = await fullBundle();
			expect(await codeOf({ ...b, events: {}, checkpoint: b.checkpoint.slice(0, -2) + 'AA' })).toBe('malformed');
		});

		it('bad-signature before a device mismatch', async () => {
			const b = await fullBundle();
			expect(await codeOf({ ...b, log: { ...b.log, deviceId: 'someone-else' }, checkpoint: b.checkpoint.slice(0, -4) + 'AAAA' })).toBe('bad-signature');
		});

		it('device-mismatch when the log names another device than the signed checkpoint', async () => {
			const b = await fullBundle();
			expect(await codeOf({ ...b, log: { ...b.log, deviceId: 'someone-else' } })).toBe('device-mismatch');
		});

		it('device-mismatch before a size mismatch, when another device re-signed the checkpoint', async () => {
			const b = await fullBundle();
			const other = await resign(b, { treeSize: 99, rootHash: new Uint8Array(32) }, await otherDeviceKeys());
			expect(await codeOf(other)).toBe('device-mismatch');
		});

		it('size-mismatch when the signed tree size is not from + events', async () => {
			const b = await fullBundle();
			expect(await codeOf(await resign(b, { treeSize: 6, rootHash: new Uint8Array(32) }, await deviceKeys()))).toBe('size-mismatch');
		});

		it('size-mismatch when the prefix has the wrong number of hashes for from', async () => {
			const log = sampleLog(7);
			const since = viaJson(await buildBundleFrom({ log, from: 5, signer: await deviceKeys() }));
			const b = { ...since, log: { ...since.log, prefix: since.log.prefix.slice(0, 1) } };
			expect(await codeOf(b)).toBe('size-mismatch');
		});

		it('size-mismatch before an invalid event', async () => {
			const b = await fullBundle();
			const broken = { ...b, events: [...b.events, { guid: 'x' }] as CasetrailEvent[] };
			expect(await codeOf(broken)).toBe('size-mismatch');
		});

		it('invalid-event before a duplicate event', async () => {
			const b = await fullBundle();
			const broken = await resignHonestly({ ...b, events: [...b.events, b.events[0]!] });
			expect(await codeOf(broken)).toBe('duplicate-event');
			const both = { ...broken, events: [...broken.events.slice(0, -1), { ...b.events[0]!, userId: '' }, b.events[0]!] };
			expect(await codeOf(await resign(both, { treeSize: 7, rootHash: new Uint8Array(32) }, await deviceKeys()))).toBe('invalid-event');
		});

		it('duplicate-event before a root mismatch', async () => {
			const b = await fullBundle();
			const dup = await resign({ ...b, events: [...b.events, b.events[1]!] }, { treeSize: 6, rootHash: new Uint8Array(32) }, await deviceKeys());
			expect(await codeOf(dup)).toBe('duplicate-event');
		});

		it('root-mismatch when a prefix hash is replaced', async () => {
			const since = viaJson(await buildBundleFrom({ log: sampleLog(7), from: 6, signer: await deviceKeys() }));
			const b = { ...since, log: { ...since.log, prefix: [bytesToBase64url(new Uint8Array(32)), since.log.prefix[1]!] } };
			expect(await codeOf(b)).toBe('root-mismatch');
		});
	});

	describe('when the event members are wrong', () => {
		const cases: [string, (e: CasetrailEvent) => unknown][] = [
			['an empty guid', (e) => ({ ...e, guid: '' })],
			['no entityGuid', ({ entityGuid: _, ...e }) => e],
			['a numeric type', (e) => ({ ...e, type: 7 })],
			['an array as data', (e) => ({ ...e, data: [] })],
			['a timestamp that does not parse', (e) => ({ ...e, timestamp: '2026-02-30T08:00:00.000Z' })],
			['a timestamp without a zone', (e) => ({ ...e, timestamp: '2026-11-02T08:00:00' })],
			['a timestamp with an offset instead of Z', (e) => ({ ...e, timestamp: '2026-11-02T09:00:00.000+01:00' })],
			['a timestamp with ten fraction digits', (e) => ({ ...e, timestamp: '2026-11-02T08:00:00.1234567890Z' })],
			['a null userId', (e) => ({ ...e, userId: null })],
			['version 0', (e) => ({ ...e, version: 0 })],
			['a string that is not Unicode (lone surrogate)', (e) => ({ ...e, data: { name: '\ud800' } })]
		];
		for (const [name, change] of cases) {
			it(`rejects ${name} with invalid-event`, async () => {
				const b = await fullBundle(3);
				const events = [b.events[0]!, change(b.events[1]!) as CasetrailEvent, b.events[2]!];
				const signed = await resign({ ...b, events }, { treeSize: 3, rootHash: new Uint8Array(32) }, await deviceKeys());
				const r = await verifyBundleResult(JSON.stringify(signed));
				expect(r).toMatchObject({ ok: false, error: { code: 'invalid-event' } });
				if (!r.ok) expect(r.error.message).toMatch(/log position 1|Event/);
			});
		}
	});

	it('accepts events whose timestamps have 1 to 9 fraction digits (an ISO 8601 UTC instant)', async () => {
		const stamps = ['2026-11-02T08:00:00Z', '2026-11-02T08:00:00.5Z', '2026-11-02T08:00:00.123456Z', '2026-11-02T08:00:00.123456789Z'];
		const events = sampleLog(stamps.length).map((e, i) => ({ ...e, timestamp: stamps[i]! }));
		const v = await verifyBundle(JSON.stringify(await buildBundle({ events, from: 0, prefix: [], signer: await deviceKeys() })));
		expect(v.events.map((e) => e.timestamp)).toEqual(stamps);
	});

	describe('parses attacker-controlled input defensively', () => {
		it('keeps "__proto__" members as plain keys: nothing is polluted and they are hashed like any member', async () => {
			const signer = await deviceKeys();
			const log = sampleLog(2);
			const text = JSON.stringify(await buildBundle({ events: log, from: 0, prefix: [], signer })).replace(
				'"data":{',
				'"data":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},'
			);
			const tampered = await verifyBundleResult(`{"__proto__":{"polluted":true},${text.slice(1)}`);
			expect(tampered).toMatchObject({ ok: false, error: { code: 'root-mismatch' } });
			expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();

			// Built with the member present, it verifies and the member survives as an own key.
			const event = JSON.parse(JSON.stringify(log[0]).replace('"data":{', '"data":{"__proto__":{"x":1},')) as CasetrailEvent;
			expect(Object.hasOwn(event.data, '__proto__')).toBe(true);
			const v = await verifyBundle(JSON.stringify(await buildBundle({ events: [event], from: 0, prefix: [], signer })));
			expect(Object.hasOwn(v.events[0]!.data, '__proto__')).toBe(true);
			expect(Object.getPrototypeOf(v.events[0]!.data)).toBe(Object.prototype);
			expect(({} as Record<string, unknown>)['x']).toBeUndefined();
		});

		it(`rejects nesting deeper than ${MAX_JSON_DEPTH} levels with malformed, not a stack overflow`, async () => {
			const b = await fullBundle(1);
			const deep = '['.repeat(200_000) + ']'.repeat(200_000);
			const text = JSON.stringify(b).replace('"data":{', `"data":{"deep":${deep},`);
			expect(await codeOf(text)).toBe('malformed');
		});

		it('rejects a text over the size limit with malformed without parsing it', async () => {
			expect(await codeOf(' '.repeat(64 * 1024 * 1024 + 1))).toBe('malformed');
		});

		const notJson: [string, (b: Bundle) => unknown][] = [
			['undefined', () => undefined],
			['a number', () => 42],
			['an array', () => []],
			['null', () => null],
			['an undefined member in an event', (b) => ({ ...b, events: [{ ...b.events[0], extra: undefined }] })],
			['a function in an event', (b) => ({ ...b, events: [{ ...b.events[0], data: { f: () => 1 } }] })],
			['NaN', (b) => ({ ...b, version: Number.NaN })],
			['a bigint', (b) => ({ ...b, log: { ...b.log, from: 0n } })],
			['a Date', (b) => ({ ...b, events: [{ ...b.events[0], data: { when: new Date() } }] })],
			['a getter', (b) => ({ ...b, get checkpoint() { return b.checkpoint; } })],
			['a cycle', (b) => { const data: Record<string, unknown> = {}; data['self'] = data; return { ...b, events: [{ ...b.events[0], data }] }; }],
			['a revoked proxy', () => { const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); return proxy; }],
			['a sparse array', (b) => ({ ...b, events: new Array(3) })]
		];
		for (const [name, make] of notJson) {
			it(`rejects ${name} with malformed`, async () => {
				expect(await codeOf(make(await fullBundle(1)))).toBe('malformed');
			});
		}

		const badShapes: [string, (b: Bundle) => unknown][] = [
			['no log', ({ log: _, ...b }) => b],
			['a log without deviceId', (b) => ({ ...b, log: { from: 0, prefix: [] } })],
			['a negative from', (b) => ({ ...b, log: { ...b.log, from: -1 } })],
			['a fractional from', (b) => ({ ...b, log: { ...b.log, from: 0.5 } })],
			['a from past 2^53', (b) => ({ ...b, log: { ...b.log, from: 2 ** 53 } })],
			['a string from', (b) => ({ ...b, log: { ...b.log, from: '0' } })],
			['a prefix that is not an array', (b) => ({ ...b, log: { ...b.log, prefix: 'x' } })],
			['a prefix entry that is not a 32-byte hash', (b) => ({ ...b, log: { ...b.log, from: 1, prefix: ['AAAA'] } })],
			['a prefix entry in padded base64', (b) => ({ ...b, log: { ...b.log, from: 1, prefix: [Buffer.alloc(32).toString('base64')] } })],
			['events that are not an array', (b) => ({ ...b, events: { 0: b.events[0] } })],
			['an event that is an array', (b) => ({ ...b, events: [[]] })],
			['an event that is a string', (b) => ({ ...b, events: ['event'] })],
			['no checkpoint', ({ checkpoint: _, ...b }) => b],
			['a checkpoint object', (b) => ({ ...b, checkpoint: { jws: b.checkpoint } })]
		];
		for (const [name, make] of badShapes) {
			it(`rejects ${name} with malformed`, async () => {
				expect(await codeOf(make(await fullBundle(1)))).toBe('malformed');
			});
		}

		describe('when one object names a member twice (issue 13: RFC 8785 takes I-JSON input)', () => {
			// Each text is a signed bundle with a member written twice, the honest value last: JSON.parse
			// keeps the last and would accept it, while a verifier that keeps the first reads other data.
			const nested: CasetrailEvent = {
				guid: '018f6b1e-0000-7000-8000-00000000abcd',
				entityGuid: 'person-nested',
				type: 'create-individual',
				timestamp: '2026-11-02T08:30:00.000Z',
				userId: 'worker-1',
				version: 1,
				data: { name: 'Awa', phones: [{ kind: 'mobile', number: '+221 77 000 00 00' }] }
			};
			const cases: [string, (text: string) => string][] = [
				['the bundle names format twice', (t) => t.replace('{"format":', '{"format":"casetrail.other","format":')],
				['the log names from twice', (t) => t.replace('"from":0', '"from":3,"from":0')],
				['an event names guid twice', (t) => t.replace('{"guid":', '{"guid":"018f6b1e-0000-7000-8000-ffffffffffff","guid":')],
				['an event names guid twice, once escaped', (t) => t.replace('{"guid":', '{"guid":"018f6b1e-0000-7000-8000-ffffffffffff","\\u0067uid":')],
				['an event data names name twice', (t) => t.replace('"data":{"name":', '"data":{"name":"Mallory","name":')],
				['an object in an array in an event data names kind twice', (t) => t.replace('{"kind":', '{"kind":"landline","kind":')]
			];
			for (const [name, change] of cases) {
				it(`rejects a bundle in which ${name} with malformed`, async () => {
					const text = JSON.stringify(await buildBundle({ events: [nested, ...sampleLog(3)], from: 0, prefix: [], signer: await deviceKeys() }));
					const twice = change(text);
					expect(twice).not.toBe(text);
					const r = await verifyBundleResult(twice);
					expect(r).toMatchObject({ ok: false, error: { code: 'malformed', message: expect.stringContaining('twice') } });
				});
			}

			it('accepts the same name in different objects, and braces, quotes and escapes inside strings', async () => {
				const event: CasetrailEvent = {
					...nested,
					data: { name: 'Awa', note: '{"name":"x","name":"y"} \\" \\\\', a: { name: 'n', b: [{ name: 'm' }, { name: 'o' }] } }
				};
				const text = JSON.stringify(await buildBundle({ events: [event], from: 0, prefix: [], signer: await deviceKeys() }));
				expect(await codeOf(text)).toBe('ok');
			});
		});

		it('rejects anything but format casetrail.bundle version 1 or 2 with unsupported-format', async () => {
			const b = await fullBundle(1);
			for (const change of [{ format: 'casetrail.bundle.v2' }, { version: 3 }, { version: 0 }, { version: '1' }, { version: '2' }, { format: undefined }, { version: 1.0000001 }, { version: 2.5 }]) {
				expect(await codeOf(JSON.stringify({ ...b, ...change }))).toBe('unsupported-format');
			}
			expect(await codeOf('{}')).toBe('unsupported-format');
		});
	});
});

describe('verifyBundleResult', () => {
	it('returns ok with what was verified, or the error as plain data', async () => {
		const b = await fullBundle(2);
		const ok = await verifyBundleResult(b);
		expect(ok).toMatchObject({ ok: true, treeSize: 2, from: 0 });
		const bad = await verifyBundleResult('{');
		expect(bad).toEqual({ ok: false, error: { code: 'malformed', message: expect.stringMatching(/^The bundle is not valid JSON/) } });
		expect(structuredClone(bad)).toEqual(bad);
	});

	it('verifies a since-bundle whose prefix is the compact range of the earlier leaves', async () => {
		const log = sampleLog(11);
		const prefix = prefixFromLeafHashes(log.map(eventLeafHash), 6);
		const b = await buildBundle({ events: log.slice(6), from: 6, prefix, signer: await deviceKeys() });
		expect(await verifyBundleResult(JSON.stringify(b))).toMatchObject({ ok: true, from: 6, treeSize: 11 });
	});
});
