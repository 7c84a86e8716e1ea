import { describe, expect, it } from 'vitest';
import { estimateStorage, requestPersistence, type StorageLike } from '../../../src/lib/store/storage';

function fakeStorage(state: { persisted: boolean; grant: boolean; usage?: number; quota?: number }): StorageLike & { asked: number } {
	const fake = {
		asked: 0,
		persisted: async () => state.persisted,
		persist: async () => {
			fake.asked += 1;
			state.persisted = state.grant;
			return state.grant;
		},
		estimate: async () => ({ usage: state.usage ?? 0, quota: state.quota ?? 0 })
	};
	return fake;
}

describe('requestPersistence', () => {
	it('asks the browser and reports granted or denied', async () => {
		const granting = fakeStorage({ persisted: false, grant: true });
		expect(await requestPersistence(granting)).toBe('granted');
		expect(granting.asked).toBe(1);
		expect(await requestPersistence(fakeStorage({ persisted: false, grant: false }))).toBe('denied');
	});

	it('does not ask again when the data is already persisted', async () => {
		const storage = fakeStorage({ persisted: true, grant: true });
		expect(await requestPersistence(storage)).toBe('granted');
		expect(storage.asked).toBe(0);
	});

	it('reports unsupported without the API and denied when asking throws', async () => {
		expect(await requestPersistence(undefined)).toBe('unsupported');
		expect(await requestPersistence({})).toBe('unsupported');
		expect(await requestPersistence({ persist: () => Promise.reject(new Error('no')) })).toBe('denied');
	});
});

describe('estimateStorage', () => {
	it('reports usage, quota, their ratio and persistence', async () => {
		expect(await estimateStorage(fakeStorage({ persisted: true, grant: true, usage: 250, quota: 1000 }))).toEqual({ usage: 250, quota: 1000, fraction: 0.25, persisted: true });
	});

	it('gives a ratio of 0 for an unknown quota, and undefined without the API', async () => {
		expect(await estimateStorage(fakeStorage({ persisted: false, grant: false, usage: 5 }))).toMatchObject({ fraction: 0, persisted: false });
		expect(await estimateStorage(undefined)).toBeUndefined();
	});
});
