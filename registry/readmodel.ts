/**
 * The read model's rows for some entities, computed from all their stored events by core's
 * projection and audit trail: the registry applies exactly the rules `casetrail show` and the app
 * apply (spec/projection.md), because it runs the same code.
 */
import { auditTrail } from '../src/lib/core/audit';
import { defaultRegistry } from '../src/lib/core/appliers/defaults';
import { Replay } from '../src/lib/core/appliers/evolve';
import type { Entity } from '../src/lib/core/appliers/entity';
import { instantOf, parseTimestamp, type CasetrailEvent } from '../src/lib/core/event';
import { orderEvents, type SkippedEvent } from '../src/lib/core/projection';
import type { Sql } from './db';

/** What casetrail.store_read_model takes (short member names keep the JSON small at 1M events). */
export interface ReadModelRows {
	entityGuids: string[];
	entities: Entity[];
	versions: { e: string; v: number; g: string; t: string; x: Entity }[];
	trail: { e: string; s: number; g: string; w: string; t: string | null; u: string; y: string; r: string | null; a: boolean; k: string | null; m: string | null; c: unknown }[];
}

/** The read-model rows of each entity in `entityGuids`, from `events` (all the events naming them). */
export function readModelRows(entityGuids: readonly string[], events: readonly CasetrailEvent[]): ReadModelRows {
	const byEntity = new Map<string, CasetrailEvent[]>(entityGuids.map((g) => [g, []]));
	for (const event of events) byEntity.get(event.entityGuid)?.push(event);
	const rows: ReadModelRows = { entityGuids: [...entityGuids], entities: [], versions: [], trail: [] };
	for (const [guid, list] of byEntity) {
		// One event at a time through core's replay: each applied event is one version.
		const skipped: SkippedEvent[] = [];
		const replay = new Replay(undefined, defaultRegistry);
		for (const event of orderEvents(list, skipped)) {
			if (!replay.apply(event).applied) continue;
			const entity = replay.detach() as Entity;
			rows.versions.push({ e: guid, v: entity.version, g: event.guid, t: new Date(instantOf(event)).toISOString(), x: entity });
		}
		const entity = replay.detach();
		if (entity) rows.entities.push(entity);
		auditTrail(list).forEach((entry, seq) => {
			rows.trail.push({
				e: guid,
				s: seq,
				g: entry.guid,
				w: entry.timestamp,
				t: isoInstant(entry.timestamp),
				u: entry.userId,
				y: entry.type,
				r: entry.reason ?? null,
				a: entry.applied,
				k: entry.applied ? null : entry.skip.reason,
				m: entry.applied ? null : entry.skip.message,
				c: entry.changes
			});
		});
	}
	return rows;
}

/** Recomputes and stores the read model of `entityGuids` from every stored event naming them. */
export async function refreshReadModel(tx: Sql, entityGuids: readonly string[]): Promise<void> {
	if (entityGuids.length === 0) return;
	const stored = await tx.query<{ canonical: string }>(
		'SELECT canonical FROM casetrail.audit_events WHERE entity_guid = ANY (ARRAY(SELECT jsonb_array_elements_text($1::text::jsonb)))',
		[JSON.stringify(entityGuids)]
	);
	const events = stored.map((r) => JSON.parse(r.canonical) as CasetrailEvent);
	await tx.query('SELECT casetrail.store_read_model($1::text::jsonb)', [JSON.stringify(readModelRows(entityGuids, events))]);
}

/** The instant as PostgreSQL reads it, or null for an unreadable timestamp (an invalid event). */
function isoInstant(timestamp: string): string | null {
	const ms = parseTimestamp(timestamp);
	return ms === undefined ? null : new Date(ms).toISOString();
}
