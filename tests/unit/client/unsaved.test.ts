import { describe, expect, it } from 'vitest';
import { UnsavedChanges } from '../../../src/lib/client/unsaved';

describe('UnsavedChanges', () => {
	it('reports nothing unsaved when no check is registered', () => {
		expect(new UnsavedChanges().any()).toBe(false);
	});

	it('reports unsaved input when any registered check does', () => {
		const registry = new UnsavedChanges();
		let dirty = false;
		registry.register(() => false);
		registry.register(() => dirty);
		expect(registry.any()).toBe(false);
		dirty = true;
		expect(registry.any()).toBe(true);
	});

	it('forgets a check through the function register returns', () => {
		const registry = new UnsavedChanges();
		const release = registry.register(() => true);
		release();
		expect(registry.any()).toBe(false);
	});

	it('forgets a check passed to unregister, and ignores one it never had', () => {
		const registry = new UnsavedChanges();
		const check = (): boolean => true;
		registry.register(check);
		registry.unregister(() => true);
		expect(registry.any()).toBe(true);
		registry.unregister(check);
		expect(registry.any()).toBe(false);
	});

	it('counts a check that throws as unsaved input', () => {
		const registry = new UnsavedChanges();
		registry.register(() => {
			throw new Error('form torn down');
		});
		expect(registry.any()).toBe(true);
	});
});
