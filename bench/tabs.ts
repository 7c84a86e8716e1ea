/**
 * A page that drives the store directly, for the end-to-end test of several tabs appending to one
 * database at once (tests/e2e/store-two-tabs.spec.ts). Built with the bench page (bench/vite.config.ts).
 */
import { bytesToHex } from '../src/lib/core/encoding';
import type { CasetrailEvent } from '../src/lib/core/event';
import { CompactRange, leafHash } from '../src/lib/core/merkle';
import { appendEvents, checkIntegrity, getTreeHead, iterateLog, openDb } from '../src/lib/store/index';

const utf8 = new TextEncoder();

/** Appends `count` events of this tab (guids `${tab}-n`) in batches of `batch`, each batch one append. */
async function tabAppend(name: string, tab: string, count: number, batch: number): Promise<number> {
	const db = openDb(name);
	let appended = 0;
	for (let i = 0; i < count; i += batch) {
		const events: CasetrailEvent[] = [];
		for (let k = i; k < Math.min(count, i + batch); k++) {
			const entityGuid = `${tab}-person-${Math.floor(k / 3)}`;
			events.push({
				guid: `${tab}-${String(k).padStart(6, '0')}`,
				entityGuid,
				type: k % 3 === 0 ? 'create-individual' : 'update-individual',
				data: k % 3 === 0 ? { givenName: `${tab} ${k}` } : { village: `v${k}` },
				timestamp: new Date(Date.UTC(2026, 0, 1) + k * 1000).toISOString(),
				userId: `user-${tab}`,
				version: 3
			});
		}
		appended += (await appendEvents(db, events)).appended;
	}
	db.close();
	return appended;
}

/** The head, the root recomputed from every stored leaf in log order, and the integrity verdict. */
async function tabCheck(name: string) {
	const db = openDb(name);
	const head = await getTreeHead(db);
	const range = new CompactRange();
	const guids: string[] = [];
	for await (const batch of iterateLog(db, { batchSize: 250 })) {
		for (const stored of batch) {
			range.append(leafHash(utf8.encode(stored.canonical)));
			guids.push(stored.event.guid);
		}
	}
	const report = await checkIntegrity(db);
	db.close();
	return { size: head.size, root: bytesToHex(head.root), recomputed: bytesToHex(range.rootHash()), guids, integrityOk: report.ok };
}

declare global {
	interface Window {
		tabAppend: typeof tabAppend;
		tabCheck: typeof tabCheck;
	}
}
window.tabAppend = tabAppend;
window.tabCheck = tabCheck;
