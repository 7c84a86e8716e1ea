import { describe, expect, it } from 'vitest';
import { ACTIONS, assertCan, assertCanChange, assertCanSee, can, canSee, creatorOf, isRole, requireUser, ROLES, type Action, type Role, type User } from '../../../src/lib/core/access';
import { isCasetrailError } from '../../../src/lib/core/errors';
import { ev } from './fixtures';

function user(id: string, role: Role): User {
	return { id, name: id, role, createdAt: '2026-11-23T09:00:00.000Z', createdBy: 'admin' };
}

const admin = user('admin', 'administrator');
const supervisor = user('sup', 'supervisor');
const worker = user('cw-1', 'case-worker');
const otherWorker = user('cw-2', 'case-worker');

function refusal(f: () => unknown): { code: string; message: string } | undefined {
	try {
		f();
		return undefined;
	} catch (e) {
		return isCasetrailError(e) ? { code: e.code, message: e.message } : { code: 'unexpected', message: String(e) };
	}
}

describe('can', () => {
	// The whole table, written out, so a change to a permission shows up here as a decision.
	const expected: Record<Role, Action[]> = {
		administrator: [...ACTIONS],
		supervisor: ['read', 'register', 'update', 'delete', 'assign', 'export', 'import', 'verify-bundle', 'integrity', 'metrics', 'view-all', 'publish-form'],
		'case-worker': ['read', 'register', 'update', 'verify-bundle']
	};

	for (const role of ROLES) {
		for (const action of ACTIONS) {
			const allowed = expected[role].includes(action);
			it(`${allowed ? 'lets' : 'does not let'} ${role} ${action}`, () => {
				expect(can(user('x', role), action)).toBe(allowed);
			});
		}
	}

	it('lets nobody do anything when no one is signed in', () => {
		for (const action of ACTIONS) expect(can(undefined, action)).toBe(false);
	});

	it('lets a user with an unknown role (a damaged row) do nothing', () => {
		const odd = { ...worker, role: 'root' as Role };
		for (const action of ACTIONS) expect(can(odd, action)).toBe(false);
	});
});

describe('assertCan', () => {
	it('returns the user when the role allows the action', () => {
		expect(assertCan(supervisor, 'export')).toBe(supervisor);
	});

	it('throws forbidden naming the role and the action otherwise', () => {
		const r = refusal(() => assertCan(worker, 'export'));
		expect(r).toEqual({ code: 'forbidden', message: 'A case worker cannot export bundles. Ask a supervisor or an administrator.' });
		expect(refusal(() => assertCan(supervisor, 'manage-users'))?.message).toMatch(/^A supervisor cannot manage users/);
	});

	it('throws not-signed-in when nobody is signed in', () => {
		expect(refusal(() => assertCan(undefined, 'read'))?.code).toBe('not-signed-in');
		expect(refusal(() => requireUser(undefined))?.code).toBe('not-signed-in');
	});
});

describe('canSee', () => {
	const mine = { guid: 'e-1', createdBy: 'cw-1' };
	const assignedToMe = { guid: 'e-2', createdBy: 'cw-2', caseWorker: 'cw-1' };
	const theirs = { guid: 'e-3', createdBy: 'cw-2' };
	const reassigned = { guid: 'e-4', createdBy: 'cw-2', caseWorker: 'cw-2' };
	const unknown = { guid: 'e-5' };

	it('lets administrators and supervisors see every entity', () => {
		for (const u of [admin, supervisor]) for (const e of [mine, assignedToMe, theirs, reassigned, unknown]) expect(canSee(u, e)).toBe(true);
	});

	it('lets a case worker see what they created or are assigned to, and nothing else', () => {
		expect(canSee(worker, mine)).toBe(true);
		expect(canSee(worker, assignedToMe)).toBe(true);
		expect(canSee(worker, theirs)).toBe(false);
		expect(canSee(worker, reassigned)).toBe(false);
		expect(canSee(worker, unknown)).toBe(false);
		expect(canSee(otherWorker, theirs)).toBe(true);
		expect(canSee(otherWorker, mine)).toBe(false);
	});

	it('lets nobody see anything when no one is signed in', () => {
		expect(canSee(undefined, mine)).toBe(false);
	});

	it('assertCanSee throws forbidden naming the record but nothing in it', () => {
		expect(refusal(() => assertCanSee(worker, theirs))).toEqual({
			code: 'forbidden',
			message: 'Record e-3 is neither registered by you nor assigned to you. Ask a supervisor to assign it to you.'
		});
		expect(assertCanSee(worker, mine)).toBe(worker);
		expect(refusal(() => assertCanSee(undefined, mine))?.code).toBe('not-signed-in');
	});
});

describe('assertCanChange', () => {
	it('checks the role before the entity', () => {
		expect(refusal(() => assertCanChange(worker, 'delete', { guid: 'e-1', createdBy: 'cw-1' }))?.message).toMatch(/cannot delete records/);
	});

	it('refuses a case worker changing a record that is not theirs', () => {
		expect(refusal(() => assertCanChange(worker, 'update', { guid: 'e-3', createdBy: 'cw-2' }))?.code).toBe('forbidden');
		expect(assertCanChange(worker, 'update', { guid: 'e-1', createdBy: 'cw-1' })).toBe(worker);
	});
});

describe('creatorOf', () => {
	const create = (guid: string, timestamp: string, userId: string) => ev({ guid, type: 'create-individual', entityGuid: 'e-1', timestamp, userId, data: { givenName: 'Amina' } });
	const update = (guid: string, timestamp: string, userId: string) => ev({ guid, type: 'update-individual', entityGuid: 'e-1', timestamp, userId, data: { givenName: 'Grace' } });

	it('gives the userId of the creating event, whatever order the events come in', () => {
		const events = [update('b', '2026-11-23T09:00:00.000Z', 'second'), update('c', '2026-11-23T10:00:00Z', 'third'), create('a', '2026-11-23T09:00:00Z', 'first')];
		expect(creatorOf(events)).toBe('first');
	});

	it('compares instants, not strings, when the fraction is absent', () => {
		// As strings "…00Z" sorts after "…00.500Z"; as instants it comes first.
		expect(creatorOf([create('z', '2026-11-23T09:00:00.500Z', 'later'), create('y', '2026-11-23T09:00:00Z', 'earlier')])).toBe('earlier');
	});

	it('issue 15: is not the author of a skipped update that sorts before the creation (a device whose clock was behind)', () => {
		expect(creatorOf([create('a', '2026-11-23T09:00:00Z', 'owner'), update('b', '2026-11-22T09:00:00Z', 'late-clock')])).toBe('owner');
	});

	it('is undefined without events, or when no event created the entity', () => {
		expect(creatorOf([])).toBeUndefined();
		expect(creatorOf([update('b', '2026-11-23T09:00:00Z', 'late-clock')])).toBeUndefined();
	});
});

describe('isRole', () => {
	it('accepts the three roles and nothing else', () => {
		expect(ROLES.every(isRole)).toBe(true);
		expect(isRole('admin')).toBe(false);
		expect(isRole(undefined)).toBe(false);
	});
});
