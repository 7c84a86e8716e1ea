/**
 * Invariants 4 and 5 (shared ARCHITECTURE.md) as properties: projection is deterministic whatever
 * the order events arrive in, incremental application with replay-on-late-event equals a full
 * replay, a replay (which changes its own copies in place) reaches what evolve reaches step by step
 * and changes nothing it was given or handed out, and time travel to the last instant gives the
 * current state. Snapshots are the store's (tests/unit/store/rebuild.property.test.ts). Also the seed design's integration test: submit, take all entities, clear,
 * replay, compare.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evolve, Replay, type Entity } from '../../../src/lib/core/appliers';
import { decide, type Command } from '../../../src/lib/core/commands';
import { createGuidGenerator, instantOf, type CasetrailEvent } from '../../../src/lib/core/event';
import { applyEvent, entityAsOf, project, replayEntity, type EntityState } from '../../../src/lib/core/projection';

const ENTITIES = ['g1', 'g2', 'p1', 'p2'];
const value = fc.constantFrom<unknown>(null, 1, 'x', 'y', { n: 1 });
const fields = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'name', 'birthDate', 'sex'), value, { maxKeys: 3 });

const eventArb: fc.Arbitrary<CasetrailEvent> = fc
	.record({
		guid: fc.string({ minLength: 1, maxLength: 3, unit: fc.constantFrom('0', '1', '2', 'a', 'B') }),
		entityGuid: fc.constantFrom(...ENTITIES),
		kind: fc.constantFrom(
			'create-individual',
			'create-group',
			'update-individual',
			'update-group',
			'add-member',
			'remove-member',
			'delete-entity',
			'assign-case-worker',
			'record-visit'
		),
		fields,
		member: fc.constantFrom('p1', 'p2', 'm3'),
		role: fc.constantFrom<string | undefined>('head', 'child', undefined),
		caseWorker: fc.constantFrom('cw1', 'cw2', ''),
		// Few distinct instants, so that ties broken by guid are common.
		ms: fc.integer({ min: 0, max: 4 }).map((i) => Date.UTC(2026, 10, 2, 8, 0, 0, i * 500)),
		version: fc.constantFrom<number | undefined>(undefined, 1, 2, 3)
	})
	.map(({ guid, entityGuid, kind, fields, member, role, caseWorker, ms, version }) => {
		const timestamp = new Date(ms).toISOString();
		const data: Record<string, unknown> =
			kind === 'add-member' || kind === 'remove-member'
				? { memberGuid: member, ...(role !== undefined && { role }) }
				: kind === 'assign-case-worker'
					? assignmentData(caseWorker, timestamp, version ?? 1)
					: fields;
		const event: CasetrailEvent = { guid, entityGuid, type: kind, data, timestamp, userId: 'u' };
		if (version !== undefined) event.version = version;
		return event;
	});

/** assign-case-worker data at `version` (appliers/case-worker.ts), meaning the same assignment at each. */
function assignmentData(caseWorker: unknown, timestamp: string, version: number): Record<string, unknown> {
	if (version === 1) return { caseWorker };
	if (version === 2) return { caseWorkerId: caseWorker, ...(timestamp.endsWith('.500Z') && { date: timestamp }) };
	return { caseWorkerId: caseWorker, assignedAt: timestamp };
}

/** The same event written at another version: built-ins keep their data, assign-case-worker changes shape. */
function atVersion(event: CasetrailEvent, version: number): CasetrailEvent {
	if (event.type !== 'assign-case-worker') return { ...event, version };
	const caseWorker = event.data.caseWorkerId ?? event.data.caseWorker;
	return { ...event, version, data: assignmentData(caseWorker, event.timestamp, version) };
}

/** Events with unique guids, plus exact copies of some of them (an event imported twice). */
const eventsArb = fc
	.tuple(fc.uniqueArray(eventArb, { selector: (e) => e.guid, maxLength: 40 }), fc.array(fc.nat(), { maxLength: 3 }))
	.map(([events, copies]) => (events.length === 0 ? events : [...events, ...copies.map((i) => structuredClone(events[i % events.length]!))]));

const shuffledArb = eventsArb.chain((events) => fc.tuple(fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length })));

/** A store that applies events as they arrive and replays one entity when an event comes late. */
class IncrementalStore {
	readonly log: CasetrailEvent[] = [];
	readonly states = new Map<string, EntityState>();
	replays = 0;

	append(event: CasetrailEvent): void {
		this.log.push(event);
		const state = this.states.get(event.entityGuid) ?? { entity: undefined, last: undefined };
		const step = applyEvent(state, event);
		if (step.incremental) {
			this.states.set(event.entityGuid, step.state);
		} else {
			this.replays += 1;
			const { entity, last } = replayEntity(this.log, event.entityGuid);
			this.states.set(event.entityGuid, { entity, last });
		}
	}

	entities(): Entity[] {
		return [...this.states.values()].flatMap((s) => (s.entity ? [s.entity] : [])).sort((a, b) => (a.guid < b.guid ? -1 : 1));
	}
}

describe('projection properties', () => {
	it('any permutation of the same events gives identical entities and skips', () => {
		fc.assert(
			fc.property(shuffledArb, ([events, shuffled]) => {
				expect(project(shuffled)).toEqual(project(events));
			}),
			{ numRuns: 300 }
		);
	});

	it('applying events as they arrive, replaying an entity on a late event, equals a full replay', () => {
		fc.assert(
			fc.property(shuffledArb, ([, arrival]) => {
				const store = new IncrementalStore();
				for (const event of arrival) store.append(event);
				expect(store.entities()).toEqual(project(arrival).entities);
			}),
			{ numRuns: 300 }
		);
	});

	it('a replay reaches what evolve reaches step by step, and changes neither its start nor what it handed out', () => {
		fc.assert(
			fc.property(eventsArb, fc.integer({ min: 0, max: 40 }), fc.array(fc.boolean(), { maxLength: 40 }), (events, cut, detachAt) => {
				for (const guid of ENTITIES) {
					// Events of one entity in arrival order: evolve applies whatever it is given.
					const mine = events.filter((e) => e.entityGuid === guid);
					let expected: Entity | undefined;
					for (const event of mine.slice(0, cut)) expected = evolve(expected, event).entity;
					const start = expected;
					const startJson = JSON.stringify(start);
					const replay = new Replay(start);
					const handedOut: [Entity | undefined, string][] = [];
					mine.slice(cut).forEach((event, i) => {
						const result = replay.apply(event);
						expected = evolve(expected, event).entity;
						expect(result.entity).toEqual(expected);
						expect(replay.entity).toEqual(expected);
						if (detachAt[i]) {
							const kept = replay.detach();
							handedOut.push([kept, JSON.stringify(kept)]);
						}
					});
					expect(JSON.stringify(start)).toBe(startJson);
					for (const [kept, json] of handedOut) expect(JSON.stringify(kept)).toBe(json);
				}
			}),
			{ numRuns: 300 }
		);
	});

	it('time travel to the last instant gives the current state', () => {
		fc.assert(
			fc.property(eventsArb, (events) => {
				const { entities } = project(events);
				for (const entity of entities) {
					const last = Math.max(...events.filter((e) => e.entityGuid === entity.guid).map(instantOf));
					expect(entityAsOf(events, entity.guid, last)).toEqual(entity);
				}
			}),
			{ numRuns: 300 }
		);
	});

	it('the same events written at any versions project to the same entities (built-ins as recorded, assign-case-worker upcast)', () => {
		fc.assert(
			fc.property(eventsArb, fc.array(fc.constantFrom(1, 2, 3), { minLength: 1 }), (events, versions) => {
				const rewritten = events.map((event, i) => atVersion(event, versions[i % versions.length]!));
				const before = structuredClone(rewritten);
				expect(project(rewritten)).toEqual(project(events));
				expect(rewritten).toEqual(before);
			}),
			{ numRuns: 300 }
		);
	});

	it('evolve never throws, whatever it is given', () => {
		fc.assert(
			fc.property(fc.anything(), fc.option(eventArb, { nil: undefined }), (anything, maybe) => {
				const state = maybe ? evolve(undefined, { ...maybe, type: 'create-group' }).entity : undefined;
				const result = evolve(state, anything as CasetrailEvent);
				expect(typeof result.applied).toBe('boolean');
			}),
			{ numRuns: 500 }
		);
	});
});

describe('seed design integration: submit, take all entities, clear, replay, compare', () => {
	it('gives equal entities after clearing the projection and replaying the log', () => {
		let minute = 0;
		const guids = createGuidGenerator({ now: () => Date.UTC(2026, 10, 23, 9, minute) });
		const env = { now: () => new Date(Date.UTC(2026, 10, 23, 9, minute)), newGuid: guids, userId: 'worker-7', context: { source: 'test' } };
		const store = new IncrementalStore();
		const submit = (command: Command): string => {
			const events = decide(command, { get: (g) => store.states.get(g)?.entity }, env);
			for (const event of events) store.append(event);
			minute += 1;
			return events[0]!.entityGuid;
		};

		const amina = submit({ type: 'register-individual', givenName: 'Amina', familyName: 'Diallo', sex: 'female', dateOfBirth: '1988-04-12' });
		const moussa = submit({ type: 'register-individual', givenName: 'Moussa', familyName: 'Diallo', sex: 'male', dateOfBirth: '2015-09-30' });
		const household = submit({ type: 'create-group', name: 'Diallo household', address: 'Kébémer' });
		submit({ type: 'add-member', groupGuid: household, memberGuid: amina, role: 'head' });
		submit({ type: 'add-member', groupGuid: household, memberGuid: moussa, role: 'child' });
		submit({ type: 'update-entity', entityGuid: amina, changes: { phone: '+221 77 000 00 00' }, reason: 'phone collected at visit' });
		submit({ type: 'assign-case-worker', entityGuid: household, caseWorkerId: 'cw-3' });
		submit({ type: 'remove-member', groupGuid: household, memberGuid: moussa, reason: 'moved to relatives' });
		submit({ type: 'delete-entity', entityGuid: moussa, reason: 'registered twice' });

		const before = structuredClone(store.entities());
		expect(before).toHaveLength(3);
		expect(store.replays).toBe(0);

		store.states.clear();
		const replayed = project(store.log);
		expect(replayed.skipped).toEqual([]);
		expect(replayed.entities).toEqual(before);
		expect(replayed.entities.find((e) => e.guid === household)).toMatchObject({ members: [{ guid: amina, role: 'head' }], caseWorker: 'cw-3', version: 5 });
		expect(replayed.entities.find((e) => e.guid === moussa)).toMatchObject({ deleted: true });
	});
});
