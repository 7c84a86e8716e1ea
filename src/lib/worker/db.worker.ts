/// <reference lib="webworker" />
/**
 * The database worker's entry: opens the database, holds the signed-in session, and exposes the
 * worker API to the page with Comlink. One per tab; tabs learn of each other's appends through a
 * BroadcastChannel, and the store's transactions keep the log consistent between them.
 */
import * as Comlink from 'comlink';
import { openDb } from '../store/db';
import { newGuid } from '../core/event';
import type { User } from '../core/access';
import { createWorkerApi } from './api';
import { deviceIdentity } from './device';
import { APP_VERSION } from '../version';

const CHANGES_CHANNEL = 'casetrail-changes';
const channel = new BroadcastChannel(CHANGES_CHANNEL);
const db = openDb();
let user: User | undefined;

const api = createWorkerApi({
	db,
	now: () => new Date(),
	newGuid,
	appVersion: APP_VERSION,
	user: () => user,
	deviceId: async () => (await deviceIdentity(db)).deviceId,
	announce: (change) => channel.postMessage(change)
});

Comlink.expose(api);
