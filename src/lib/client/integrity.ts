/**
 * The outcome of the last integrity check run in this browser, for the home page's "last verified".
 * Kept in localStorage: it holds no personal data (a time, a size, a count), and the check itself
 * is the source of truth whenever it matters.
 */
const KEY = 'casetrail-last-integrity';

export interface IntegritySummary {
	checkedAt: string;
	ok: boolean;
	size: number;
	tamperedCount: number;
}

export function saveIntegritySummary(summary: IntegritySummary): void {
	try {
		localStorage.setItem(KEY, JSON.stringify(summary));
	} catch {
		// Storage full or disabled: the home page then says "not verified yet", which is still true here.
	}
}

export function loadIntegritySummary(): IntegritySummary | undefined {
	try {
		const raw = localStorage.getItem(KEY);
		if (!raw) return undefined;
		const value = JSON.parse(raw) as Partial<IntegritySummary>;
		if (typeof value.checkedAt !== 'string' || typeof value.ok !== 'boolean' || typeof value.size !== 'number' || typeof value.tamperedCount !== 'number') return undefined;
		return value as IntegritySummary;
	} catch {
		return undefined;
	}
}
