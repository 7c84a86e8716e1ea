/**
 * The state of the people-and-households list: the query a person builds (text, type, deleted,
 * sort), the records loaded so far and the cursor of the next page. Searching and paging run in
 * the worker; a newer request always wins over an older one still on its way, so fast typing never
 * shows the results of an earlier word.
 */
import type { Entity } from '$lib/core/appliers';
import type { CasetrailError } from '$lib/core/errors';
import type { EntityCursor, EntityQuery } from '$lib/store/read';
import { handleFailure } from './failure';
import { call, workerApi } from './worker';

/** Records per page: a phone screen's worth several times over, cheap to render. */
export const PAGE_SIZE = 50;

export type DeletedFilter = NonNullable<EntityQuery['deleted']>;
export type SortOrder = NonNullable<EntityQuery['sort']>;

export class EntityList {
	text = $state('');
	/** '' for every type. */
	type = $state('');
	deleted: DeletedFilter = $state('exclude');
	sort: SortOrder = $state('name');

	entities: Entity[] = $state.raw([]);
	next: EntityCursor | null = $state.raw(null);
	loading = $state(false);
	/** True once a first page has arrived (so "nothing found" is not said while loading). */
	loaded = $state(false);
	failure: CasetrailError | undefined = $state();

	#sequence = 0;

	/** Reads the query from an address's search parameters (q, type, deleted, sort). */
	constructor(params: URLSearchParams) {
		this.text = params.get('q') ?? '';
		this.type = params.get('type') ?? '';
		const deleted = params.get('deleted');
		this.deleted = deleted === 'include' || deleted === 'only' ? deleted : 'exclude';
		this.sort = params.get('sort') === 'lastUpdated' ? 'lastUpdated' : 'name';
	}

	/** The query as search parameters, leaving out defaults, so an address stays short. */
	toParams(): URLSearchParams {
		const params = new URLSearchParams();
		if (this.text) params.set('q', this.text);
		if (this.type) params.set('type', this.type);
		if (this.deleted !== 'exclude') params.set('deleted', this.deleted);
		if (this.sort !== 'name') params.set('sort', this.sort);
		return params;
	}

	#query(after: EntityCursor | undefined, limit: number): EntityQuery {
		const q: EntityQuery = { text: this.text, deleted: this.deleted, sort: this.sort, limit };
		if (this.type !== '') q.type = this.type;
		if (after) q.after = after;
		return q;
	}

	/** Loads the first page again (or the first `limit` records, to refresh what is already shown). */
	async load(limit = PAGE_SIZE): Promise<void> {
		await this.#fetch(undefined, limit);
	}

	/** Appends the next page, if there is one. */
	async loadMore(): Promise<void> {
		if (this.next) await this.#fetch(this.next, PAGE_SIZE);
	}

	async #fetch(after: EntityCursor | undefined, limit: number): Promise<void> {
		const mine = ++this.#sequence;
		this.loading = true;
		try {
			const page = await call(workerApi().listEntities(this.#query(after, limit)));
			if (mine !== this.#sequence) return;
			this.entities = after ? [...this.entities, ...page.entities] : page.entities;
			this.next = page.next;
			this.failure = undefined;
			this.loaded = true;
		} catch (e) {
			if (mine === this.#sequence) this.failure = handleFailure(e);
		} finally {
			if (mine === this.#sequence) this.loading = false;
		}
	}
}
