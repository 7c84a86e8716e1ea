/**
 * What encryption at rest costs an append, for the benchmark (issue 8: "measure the cost"). Runs the
 * synchronous work an encrypted append adds, on generated events of about the size the app
 * records, in whatever runtime calls it (headless Chromium in `npm run bench`, Node by hand), and
 * returns rows in the `bench/results.json` shape.
 */
import { searchTokens } from './blind-index';
import { generateDataKey } from './keys';
import { openText, sealText, storageKeys } from './seal';

/** One benchmark figure, as bench/results.json holds them. */
export interface CostResult {
	name: string;
	n: number;
	value: number;
	unit: string;
}

const GIVEN = ['Amina', 'José', 'Nguyễn', 'Fatima', 'Oluwaseun', 'Maria', 'Abdirahman', 'Chen'];
const FAMILY = ['Yusuf', 'García', 'Thị Lan', 'Okafor', 'Haddad', 'Mwangi', 'Kowalczyk', 'Silva'];

/** `count` canonical-looking event texts of about `size` bytes each, and the names in them. */
function sampleEvents(count: number, size: number): { canonical: string; name: string }[] {
	const out: { canonical: string; name: string }[] = [];
	for (let i = 0; i < count; i++) {
		const name = `${GIVEN[i % GIVEN.length]} ${FAMILY[(i * 7) % FAMILY.length]}`;
		const head = `{"data":{"name":"${name}","phone":"+2547${String(10_000_000 + i)}","notes":"`;
		const tail = `"},"entityGuid":"0190c0de-0000-7000-8000-${String(i).padStart(12, '0')}","guid":"0190c0de-0001-7000-8000-${String(i).padStart(12, '0')}","timestamp":"2026-11-23T09:30:00.000Z","type":"create-individual","userId":"u-1"}`;
		out.push({ canonical: head + 'x'.repeat(Math.max(0, size - head.length - tail.length)) + tail, name });
	}
	return out;
}

/** Milliseconds `run` takes, best of `repeat` runs (the least disturbed by other work on the machine). */
function bestMs(repeat: number, run: () => void): number {
	let best = Number.POSITIVE_INFINITY;
	for (let r = 0; r < repeat; r++) {
		const t0 = performance.now();
		run();
		best = Math.min(best, performance.now() - t0);
	}
	return best;
}

/**
 * Measures, over `count` events of about `size` bytes: sealing the event text and the projection
 * (two seals per append), opening them again, and making the blind-index tokens of a two-word name.
 * Figures are per event, best of `repeat` runs.
 */
export function measureEncryptionCost(count = 1000, size = 300, repeat = 5): CostResult[] {
	const keys = storageKeys(generateDataKey());
	const events = sampleEvents(count, size);
	let sealed: Uint8Array[] = [];
	const sealMs = bestMs(repeat, () => {
		sealed = events.map((e, i) => sealText(keys.seal, e.canonical, `event:${i}`));
	});
	const openMs = bestMs(repeat, () => {
		for (let i = 0; i < sealed.length; i++) openText(keys.seal, sealed[i] as Uint8Array, `event:${i}`);
	});
	let tokens = 0;
	const indexMs = bestMs(repeat, () => {
		tokens = 0;
		for (const e of events) tokens += searchTokens(keys.index, e.name).length;
	});
	const perEvent = (ms: number) => Number(((ms * 1000) / count).toFixed(2));
	return [
		{ name: 'crypto.seal.usPerEvent', n: count, value: perEvent(sealMs), unit: 'µs' },
		{ name: 'crypto.seal.eventsPerSec', n: count, value: Math.round((count * 1000) / sealMs), unit: 'events/s' },
		{ name: 'crypto.open.usPerEvent', n: count, value: perEvent(openMs), unit: 'µs' },
		{ name: 'crypto.blindIndex.usPerName', n: count, value: perEvent(indexMs), unit: 'µs' },
		{ name: 'crypto.blindIndex.tokensPerName', n: count, value: Number((tokens / count).toFixed(1)), unit: 'tokens' },
		// An encrypted append seals the event and the projection, and indexes the name once.
		{ name: 'crypto.append.addedUsPerEvent', n: count, value: perEvent(2 * sealMs + indexMs), unit: 'µs' }
	];
}
