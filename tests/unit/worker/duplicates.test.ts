import { afterEach, describe, expect, it } from 'vitest';
import { dropDb } from '../store/helpers';
import { editDistance, nameLikeness, normalizeId, normalizePhone } from '../../../src/lib/worker/duplicates';
import { failure, harness, ok, user, type Harness } from './helpers';

const person = {
	type: 'register-individual' as const,
	givenName: 'Amina',
	familyName: 'Okello',
	sex: 'female',
	dateOfBirth: '1990-03-14',
	phone: '+256 700 123 456',
	nationalId: 'CM-90031 4'
};

let h: Harness;
afterEach(async () => {
	await dropDb(h.ctx.db);
});

async function register(command: Record<string, unknown> = {}) {
	const done = await ok(h.api.execute({ ...person, ...command } as typeof person));
	return done.entity!.guid;
}

describe('findDuplicates', () => {
	it('finds the same name with the same date of birth, whatever the case and accents', async () => {
		h = harness();
		const guid = await register({ phone: undefined, nationalId: undefined });
		const report = await ok(h.api.findDuplicates({ givenName: 'AMÍNA', familyName: 'okello', dateOfBirth: '1990-03-14' }));
		expect(report.matches.map((m) => [m.entity.guid, m.reasons])).toEqual([[guid, ['same-name-and-birth']]]);
	});

	it('finds a similar name (one typo, or given and family swapped) with the same date of birth', async () => {
		h = harness();
		const guid = await register({ phone: undefined, nationalId: undefined });
		const typo = await ok(h.api.findDuplicates({ givenName: 'Amina', familyName: 'Okelo', dateOfBirth: '1990-03-14' }));
		expect(typo.matches.map((m) => [m.entity.guid, m.reasons])).toEqual([[guid, ['similar-name-and-birth']]]);
		const swapped = await ok(h.api.findDuplicates({ givenName: 'Okello', familyName: 'Amina', dateOfBirth: '1990-03-14' }));
		expect(swapped.matches.map((m) => m.reasons)).toEqual([['similar-name-and-birth']]);
	});

	it('does not match the same name with another date of birth', async () => {
		h = harness();
		await register({ phone: undefined, nationalId: undefined });
		const report = await ok(h.api.findDuplicates({ givenName: 'Amina', familyName: 'Okello', dateOfBirth: '1990-03-15' }));
		expect(report.matches).toEqual([]);
	});

	it('finds the same national id and the same phone written differently', async () => {
		h = harness();
		const guid = await register();
		const report = await ok(h.api.findDuplicates({ givenName: 'Other', familyName: 'Person', nationalId: 'cm900314', phone: '256700123456' }));
		expect(report.matches.map((m) => [m.entity.guid, m.reasons])).toEqual([[guid, ['national-id', 'phone']]]);
	});

	it('compares whole values: a name contained in another is no match', async () => {
		h = harness();
		await register({ givenName: 'Joanna', familyName: 'Female', phone: undefined, nationalId: 'AB1234' });
		const report = await ok(h.api.findDuplicates({ givenName: 'Ann', familyName: 'Male', dateOfBirth: '1990-03-14', nationalId: 'AB123' }));
		expect(report.matches).toEqual([]);
	});

	it('leaves out deleted individuals and the one being edited', async () => {
		h = harness();
		const kept = await register();
		const deleted = await register({ givenName: 'Amina', nationalId: undefined, phone: undefined });
		await ok(h.api.execute({ type: 'delete-entity', entityGuid: deleted, reason: 'Registered twice' }));
		const report = await ok(h.api.findDuplicates({ ...person, excludeGuid: kept }));
		expect(report.matches).toEqual([]);
	});

	it('only counts matches a case worker may not open', async () => {
		h = harness(user('cw-1', 'case-worker'));
		await register();
		h.signIn(user('cw-2', 'case-worker'));
		const own = await register({ givenName: 'Amina', phone: undefined, nationalId: undefined, dateOfBirth: '1990-03-14' });
		const report = await ok(h.api.findDuplicates({ givenName: 'Amina', familyName: 'Okello', dateOfBirth: '1990-03-14' }));
		expect(report.matches.map((m) => m.entity.guid)).toEqual([own]);
		expect(report.hidden).toBe(1);
	});

	it('refuses when nobody is signed in', async () => {
		h = harness(null);
		expect((await failure(h.api.findDuplicates({ givenName: 'A' }))).code).toBe('not-signed-in');
	});
});

describe('nameLikeness', () => {
	it('calls equal names the same, a typo similar and a different name nothing', () => {
		expect(nameLikeness('amina', 'okello', 'amina', 'okello')).toBe('same');
		expect(nameLikeness('amina', 'okello', 'amena', 'okello')).toBe('similar');
		expect(nameLikeness('amina', 'okello', 'grace', 'okello')).toBeUndefined();
		expect(nameLikeness('', 'okello', '', 'okello')).toBeUndefined();
	});
});

describe('editDistance', () => {
	it('counts insertions, deletions and substitutions and stops past the limit', () => {
		expect(editDistance('kitten', 'sitting', 5)).toBe(3);
		expect(editDistance('abc', 'abc', 0)).toBe(0);
		expect(editDistance('abcdef', 'uvwxyz', 2)).toBe(3);
	});
});

describe('normalizeId and normalizePhone', () => {
	it('keep whole values without punctuation', () => {
		expect(normalizeId(' AB-12 34/x ')).toBe('ab1234x');
		expect(normalizePhone('+256 (0) 700-123')).toBe('2560700123');
	});
});
