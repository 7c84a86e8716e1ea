/**
 * registry/export.ts: a bundle's text that a spreadsheet would run as a formula is written as text,
 * in the CSV (a leading single quote) and in the XLSX workbook (a string cell, never a formula).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundleFrom } from '../../../src/lib/core/bundle/build';
import type { CasetrailEvent } from '../../../src/lib/core/event';
import type { Database } from '../../../registry/db';
import { registryTables, writeTables } from '../../../registry/export';
import { ingestBundle } from '../../../registry/ingest';
import { deviceKeys } from '../core/bundle/fixtures';
import { backends } from './backends';

const HOSTILE: CasetrailEvent = {
	guid: 'formula-1',
	entityGuid: 'person-formula',
	type: 'create-individual',
	data: { name: '=HYPERLINK("http://evil.example","x")', '@cmd': '+1+1', note: '-2+3', tab: '\t=1', age: -5 },
	timestamp: '2026-11-02T10:00:00.000Z',
	userId: 'worker-1'
};

const [pglite] = backends();
describe('the registry export of text that looks like a formula', () => {
	let db: Database;
	const out = mkdtempSync(join(tmpdir(), 'casetrail-export-'));
	beforeAll(async () => {
		({ db } = await pglite!.open());
		expect(await ingestBundle(db, JSON.stringify(await buildBundleFrom({ log: [HOSTILE], from: 0, signer: await deviceKeys() })))).toMatchObject({ ok: true });
	}, 60_000);
	afterAll(async () => {
		await pglite!.cleanup();
		rmSync(out, { recursive: true, force: true });
	});

	it('CSV: prefixes a single quote to cells and column names starting with = + - @ or a tab; numbers stay numbers', async () => {
		await writeTables(await registryTables(db), 'csv', join(out, 'csv'));
		const [header, row] = readFileSync(join(out, 'csv', 'individuals.csv'), 'utf8').split('\r\n');
		expect(header).toBe("guid,version,deleted,created_at,last_updated,case_worker,assignment_date,'@cmd,age,name,note,tab");
		expect(row).toMatch(/,'\+1\+1,-5,"'=HYPERLINK\(""http:\/\/evil.example"",""x""\)",'-2\+3,'\t=1$/);
	});

	it('XLSX: writes those texts as string cells, with no formula anywhere', async () => {
		const file = join(out, 'export.xlsx');
		await writeTables(await registryTables(db), 'xlsx', file);
		const files = unzipSync(readFileSync(file));
		const sheets = Object.keys(files).filter((f) => f.startsWith('xl/worksheets/'));
		expect(sheets.length).toBeGreaterThan(0);
		for (const f of sheets) expect(strFromU8(files[f]!)).not.toContain('<f>');
		const strings = strFromU8(files['xl/sharedStrings.xml']!);
		expect(strings).toContain('=HYPERLINK(');
		expect(strings).toContain('+1+1');
		// The number is a number cell, not a string.
		expect(strings).not.toContain('>-5<');
	});
});
