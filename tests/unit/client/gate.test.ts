import { describe, expect, it } from 'vitest';
import { gateRedirect, isOpenPath, safeNext } from '../../../src/lib/client/gate';

const fresh = { setUp: false, signedIn: false };
const locked = { setUp: true, signedIn: false };
const signedIn = { setUp: true, signedIn: true };

describe('gateRedirect', () => {
	describe('on a device not set up', () => {
		it('sends every gated route and the sign-in page to setup', () => {
			for (const path of ['/', '/entities', '/entities/abc/history', '/users', '/users/me', '/exchange', '/signin']) {
				expect(gateRedirect(path, '', fresh), path).toBe('/setup');
			}
		});

		it('opens setup and settings', () => {
			expect(gateRedirect('/setup', '', fresh)).toBeUndefined();
			expect(gateRedirect('/settings', '', fresh)).toBeUndefined();
		});
	});

	describe('on a set-up device with nobody signed in', () => {
		it('sends a gated route to sign-in with the whole address to come back to', () => {
			expect(gateRedirect('/entities', '?q=okello&sort=name', locked)).toBe('/signin?next=%2Fentities%3Fq%3Dokello%26sort%3Dname');
			expect(gateRedirect('/', '', locked)).toBe('/signin?next=%2F');
		});

		it('sends setup to sign-in, since the device already has its administrator', () => {
			expect(gateRedirect('/setup', '', locked)).toBe('/signin');
		});

		it('opens sign-in and settings', () => {
			expect(gateRedirect('/signin', '?next=%2Fevents', locked)).toBeUndefined();
			expect(gateRedirect('/settings', '', locked)).toBeUndefined();
		});

		it('does not take a route that merely starts like an open one for it', () => {
			expect(gateRedirect('/settingsx', '', locked)).toBe('/signin?next=%2Fsettingsx');
			expect(gateRedirect('/signinx', '', locked)).toBe('/signin?next=%2Fsigninx');
		});
	});

	describe('with someone signed in', () => {
		it('lets every other route through', () => {
			for (const path of ['/', '/entities', '/users', '/users/me', '/settings']) expect(gateRedirect(path, '', signedIn), path).toBeUndefined();
		});

		it('sends setup home and sign-in on to its safe return address', () => {
			expect(gateRedirect('/setup', '', signedIn)).toBe('/');
			expect(gateRedirect('/signin', '?next=%2Fevents%3Fpage%3D2', signedIn)).toBe('/events?page=2');
			expect(gateRedirect('/signin', '?next=https%3A%2F%2Fevil.example', signedIn)).toBe('/');
		});
	});
});

describe('safeNext', () => {
	it('keeps a path inside the app with its query and fragment', () => {
		expect(safeNext('/entities/abc?at=2026-01-01#history')).toBe('/entities/abc?at=2026-01-01#history');
	});

	it('gives home for anything that could leave the app', () => {
		for (const next of [null, undefined, '', 'entities', 'https://evil.example/', '//evil.example', '/\\evil.example', 'javascript:alert(1)', '/x\n//evil']) {
			expect(safeNext(next), String(next)).toBe('/');
		}
	});

	it('never returns to the sign-in or setup page itself', () => {
		expect(safeNext('/signin?next=%2F')).toBe('/');
		expect(safeNext('/setup')).toBe('/');
		expect(safeNext('/signinfo')).toBe('/signinfo');
	});
});

describe('isOpenPath', () => {
	it('is true for setup, sign-in and settings and the paths below them only', () => {
		expect(['/setup', '/signin', '/settings', '/settings/storage'].map(isOpenPath)).toEqual([true, true, true, true]);
		expect(['/', '/users', '/settingsx', '/exchange'].map(isOpenPath)).toEqual([false, false, false, false]);
	});
});
