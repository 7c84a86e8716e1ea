/** core/tables.ts: the flat tables and CSV both exports write. */
import { describe, expect, it } from 'vitest';
import { auditTrail } from '../../../src/lib/core/audit';
import { project } from '../../../src/lib/core/projection';
import { exportTables, toCsv } from '../../../src/lib/core/tables';
import { ev } from './fixtures';

describe('exportTables', () => {
	const events = [
		ev({ entityGuid: 'p-2', type: 'create-individual', data: { name: 'Zoë, "Z"', guid: 'shadow' } }),
		ev({ entityGuid: 'p-1', type: 'create-individual', data: { name: 'Ana', tags: ['a', 'b'] } }),
		ev({ entityGuid: 'h-1', type: 'create-group', data: { name: 'Household' } }),
		ev({ entityGuid: 'h-1', type: 'add-member', data: { memberGuid: 'p-1', role: 'head' } }),
		ev({ entityGuid: 'h-1', type: 'add-member', data: { memberGuid: 'p-2' } })
	];
	const { entities } = project(events);
	const trails = ['p-1', 'p-2', 'h-1'].map((g) => ({ entityGuid: g, entries: auditTrail(events.filter((e) => e.entityGuid === g)) }));

	it('gives fixed columns, then form fields sorted by name, whatever order the entities come in; a field named like a fixed column is prefixed data.', () => {
		const a = exportTables(entities, trails);
		const b = exportTables([...entities].reverse(), [...trails].reverse());
		expect(a).toEqual(b);
		expect(a[0]!.columns).toEqual(['guid', 'version', 'deleted', 'created_at', 'last_updated', 'case_worker', 'assignment_date', 'data.guid', 'name', 'tags']);
		expect(a[0]!.rows.map((r) => r[0])).toEqual(['p-1', 'p-2']);
		expect(a[0]!.rows[0]![9]).toBe('["a","b"]');
	});

	it('lists members in the order they were added, counting from 1, with no role when the event had none', () => {
		expect(exportTables(entities, trails)[2]!.rows).toEqual([
			['h-1', 1, 'p-1', 'head'],
			['h-1', 2, 'p-2', null]
		]);
	});

	it('writes CSV per RFC 4180: quoted only when needed, quotes doubled, CRLF, an empty field for no value', () => {
		const csv = toCsv(exportTables(entities, trails)[0]!);
		const lines = csv.split('\r\n');
		expect(lines[2]).toContain(',"Zoë, ""Z""",');
		expect(lines[1]).toMatch(/^p-1,1,false,[^,]+,[^,]+,,,,Ana,"\[""a"",""b""\]"$/);
		expect(csv.endsWith('\r\n')).toBe(true);
	});

	it('neutralises text a spreadsheet would run as a formula (OWASP): a leading single quote on cells and column names starting with = + - @ tab or CR; numbers stay numbers', () => {
		const hostile = [ev({ entityGuid: 'p-9', type: 'create-individual', data: { name: '=1+1', '+x': '@SUM(A1)', '-y': '-3', t: '\tA', r: '\rB', n: -4, ok: 'a=b' } })];
		const csv = toCsv(exportTables(project(hostile).entities, [])[0]!);
		const [header, row] = csv.split('\r\n');
		expect(header).toBe("guid,version,deleted,created_at,last_updated,case_worker,assignment_date,'+x,'-y,n,name,ok,r,t");
		expect(row).toMatch(/,'@SUM\(A1\),'-3,-4,'=1\+1,a=b,"'\rB",'\tA$/);
	});
});
