/**
 * The append rate behind the `eventsPerSecond` metric: events appended per second of time spent
 * appending, over the appends of a recent window. It measures how fast this device's store takes
 * events in (from the call to the commit of each append), not how often a person records them, so
 * it stays meaningful for a case worker who records a few events an hour.
 */

/** One finished append: when it ended, how many events it stored, how long it took. */
interface Sample {
	at: number;
	events: number;
	ms: number;
}

export class AppendRate {
	readonly #windowMs: number;
	readonly #now: () => number;
	#samples: Sample[] = [];

	/**
	 * Keeps the appends of the last `windowMs` milliseconds (default 60 s). `now` is the clock, in
	 * milliseconds, so tests can drive it.
	 */
	constructor(windowMs = 60_000, now: () => number = () => performance.now()) {
		this.#windowMs = windowMs;
		this.#now = now;
	}

	/** Records one finished append of `events` events that took `ms` milliseconds. */
	record(events: number, ms: number): void {
		const at = this.#now();
		this.#samples.push({ at, events, ms });
		this.#prune(at);
	}

	/**
	 * Events appended per second of append time over the window: the sum of events divided by the
	 * sum of durations. 0 when nothing was appended in the window.
	 */
	eventsPerSecond(): number {
		this.#prune(this.#now());
		let events = 0;
		let ms = 0;
		for (const s of this.#samples) {
			events += s.events;
			ms += s.ms;
		}
		return events === 0 || ms <= 0 ? 0 : (events * 1000) / ms;
	}

	#prune(now: number): void {
		const from = now - this.#windowMs;
		let drop = 0;
		while (drop < this.#samples.length && (this.#samples[drop] as Sample).at < from) drop++;
		if (drop > 0) this.#samples = this.#samples.slice(drop);
	}
}
