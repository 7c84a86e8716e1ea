/**
 * The `casetrail` command line: verify a bundle file, or show the entities its events project to
 * (spec/bundle-format.md "Command line", spec/projection.md "Command line"); ingest bundles into the
 * programme registry on PostgreSQL and export it (docs/registry.md). It is a thin shell over core
 * and the registry: every check and every rule of projection is core's, so the command line, the
 * registry and the app can never disagree about a bundle.
 *
 * Exit codes: 0 the bundle is valid (and, for `show`, was shown; for `ingest`, every bundle was
 * stored); 1 a bundle is invalid (or, for `show`, past the bundle limits; for `ingest`, refused); 2
 * the command line was wrong, a file could not be read or the database failed.
 */
import { readFile } from 'node:fs/promises';
import { verifyBundleResult, type BundleVerification } from '../src/lib/core/bundle/verify';
import { verifyReceivedBundleResult } from '../src/lib/core/bundle/limits';
import { project } from '../src/lib/core/projection';
import { instantOf, parseInstant, type CasetrailEvent } from '../src/lib/core/event';
import { describedUsers } from '../src/lib/core/user-profiles';
import { readOtherwise } from '../src/lib/core/read-otherwise';
import type { FormPurpose } from '../src/lib/core/forms/definition';
import { formsIn } from '../src/lib/core/forms/submit';
import { isCasetrailError, type ErrorData } from '../src/lib/core/errors';
import { printable, printLines } from './terminal';

export const USAGE = `Usage:
  casetrail verify FILE [--json]
  casetrail show FILE [--at ISO-INSTANT] [--json]
  casetrail ingest FILE|FOLDER... [--db URL] [--json]
  casetrail export --format csv|xlsx [--db URL] [--out PATH]
  casetrail --help

Commands:
  verify   Check a Casetrail bundle (format version 1 or 2): its signature, its device, its
           sizes, its events, its Merkle root and, in version 2, its consistency proofs from
           earlier checkpoints and the attachments (photos, signatures) its events reference,
           each checked against its SHA-256. Prints the version read, the device, the number
           of events, the attachments and the signed root.
  show     Verify the bundle, then print the entities its events project to and the forms
           it publishes (publish-form events), with the events that changed nothing. Refuses a bundle
           past the bundle limits (limit-exceeded): more than 250,000 events, an event over
           65,536 bytes, or more than 1,000 members for one group.
  ingest   Verify each bundle as verify does and store it in the registry, one transaction per
           bundle. A folder stands for every *.json file in it and its subfolders.
  export   Write the registry's individuals, households, members and audit trail: CSV files
           in a folder (default ./casetrail-export) or one XLSX workbook with a sheet each
           (default ./casetrail-export.xlsx).

Options:
  --json            Print one JSON object instead of text for a person.
  --at ISO-INSTANT  (show) The entities as they were at that instant, e.g. 2026-11-02T08:03:00Z:
                    only events with a timestamp at or before it are replayed.
  --db URL          (ingest, export) The registry: postgres://user@host/db for a PostgreSQL
                    server, or a folder for the embedded one. Default: DATABASE_URL, else the
                    embedded registry in ./casetrail-db.
  --format FORMAT   (export) csv or xlsx.
  --out PATH        (export) The folder (csv) or file (xlsx) to write.
  -h, --help        Print this help.

Exit codes: 0 valid (ingest: all stored), 1 invalid or refused bundle, 2 wrong usage, unreadable
file or database failure.
`;

/** Where the program writes; the real process by default, a buffer in tests. */
export interface CliIo {
	stdout(text: string): void;
	stderr(text: string): void;
	readFile(path: string): Promise<Uint8Array>;
}

const processIo: CliIo = {
	stdout: (text) => void process.stdout.write(text),
	stderr: (text) => void process.stderr.write(text),
	readFile: (path) => readFile(path)
};

/** A parsed command line. */
type Command =
	| { kind: 'help' }
	| { kind: 'verify' | 'show'; file: string; json: boolean; at?: { text: string; ms: number } }
	| { kind: 'ingest'; paths: string[]; db: string | undefined; json: boolean }
	| { kind: 'export'; db: string | undefined; format: 'csv' | 'xlsx'; out: string | undefined };

class UsageError extends Error {
	override readonly name = 'UsageError';
}

/** Runs the program with the arguments after `casetrail` and returns the exit code. */
export async function run(argv: readonly string[], io: CliIo = processIo): Promise<number> {
	let command: Command;
	try {
		command = parseArgs(argv);
	} catch (e) {
		if (!(e instanceof UsageError)) throw e;
		io.stderr(`casetrail: ${printable(e.message)}\n\n${USAGE}`);
		return 2;
	}
	if (command.kind === 'help') {
		io.stdout(USAGE);
		return 0;
	}
	if (command.kind === 'ingest') return (await import('./registry')).runIngest(io, command.paths, command.db, command.json);
	if (command.kind === 'export') return (await import('./registry')).runExport(io, command.db, command.format, command.out);

	let text: string;
	try {
		text = await readText(io, command.file);
	} catch (e) {
		const message = `Cannot read ${command.file}: ${describeReadError(e)}`;
		if (command.json) io.stdout(JSON.stringify({ ok: false, error: { code: 'unreadable-file', message } }) + '\n');
		io.stderr(`casetrail: ${printable(message)}\n`);
		return 2;
	}

	// Only show replays the events, so only show applies the limits that keep a replay cheap
	// (docs/decisions/0005-bundle-limits.md); verify stays the spec's check, as any verifier runs it.
	const verified = await (command.kind === 'show' ? verifyReceivedBundleResult(text) : verifyBundleResult(text));
	if (!verified.ok) {
		io.stdout(command.json ? JSON.stringify({ ok: false, error: verified.error }) + '\n' : formatFailure(verified.error));
		return 1;
	}
	if (command.kind === 'verify') {
		const summary = {
			ok: true,
			deviceId: verified.deviceId,
			treeSize: verified.treeSize,
			rootHash: verified.rootHashB64,
			events: verified.events.length,
			version: verified.version,
			// Version 2: the earlier tree sizes whose roots the bundle proves, each with that root.
			...(verified.version === 2
				? {
						consistency: verified.consistency.map((c) => ({ treeSize: c.treeSize, rootHash: c.rootHashB64 })),
						// The attachments the events reference, each carried and checked against its hash.
						attachments: { count: verified.attachments.length, bytes: verified.attachments.reduce((sum, a) => sum + a.length, 0) }
					}
				: {})
		};
		io.stdout(command.json ? JSON.stringify(summary) + '\n' : formatVerified(verified));
		return 0;
	}

	// Time travel (spec/projection.md): replay only the events at or before the instant.
	const atMs = command.at?.ms;
	const replayed = atMs === undefined ? verified.events : verified.events.filter((event) => instantOf(event) <= atMs);
	// project() sorts entities by guid, as the spec's output wants.
	const { entities, skipped } = project(replayed);
	// Who the describe-user events say the recorders are (docs/user-profiles.md): claims of the device
	// that signed this bundle, which carries them all; never of the device id an event names.
	const users = [...describedUsers(replayed.map((event) => ({ event, signer: verified.deviceId })), Date.now()).values()]
		.map(({ id, name, role, deviceId, describedAt }) => ({ id, name, role, ...(deviceId === undefined ? {} : { deviceId }), describedAt }))
		.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	// Forms are read as the app reads them (core/forms): a publish-form event publishes a form, which
	// no applier projects; it is listed under forms, or as skipped when it publishes nothing.
	const { forms, ignored } = formsIn(replayed);
	// Events read above rather than projected are not "skipped": descriptions and the forms published.
	const notSkipped = skipped.filter((s) => !readOtherwise(s));
	const shownForms = forms.map(({ definition, hash, eventGuid, publishedAt, publishedBy }) => ({
		formId: definition.formId,
		version: definition.version,
		title: definition.title,
		purpose: purposeName(definition.purpose),
		hash,
		event: eventGuid,
		publishedAt,
		publishedBy
	}));
	// users and forms appear only when the bundle has some, so other bundles print the spec's output exactly.
	const output = {
		ok: true,
		entities,
		...(shownForms.length > 0 ? { forms: shownForms } : {}),
		skipped: [...notSkipped.map(({ guid, reason, message }) => ({ guid, reason, message })), ...ignored],
		...(users.length > 0 ? { users } : {})
	};
	io.stdout(command.json ? JSON.stringify(output) + '\n' : formatShown(verified, output, command.at?.text, replayed));
	return 0;
}

function parseArgs(argv: readonly string[]): Command {
	const positional: string[] = [];
	let json = false;
	let help = false;
	const values: Partial<Record<'at' | 'db' | 'format' | 'out', string>> = {};
	const needs = {
		at: 'an instant, e.g. --at 2026-11-02T08:03:00Z',
		db: 'a server URL or a folder, e.g. --db postgres://localhost/casetrail',
		format: 'a format, e.g. --format csv',
		out: 'a path, e.g. --out ./export'
	};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i] as string;
		if (arg === '--') {
			positional.push(...argv.slice(i + 1));
			break;
		}
		const option = /^--(at|db|format|out)(=|$)/.exec(arg)?.[1] as keyof typeof values | undefined;
		if (arg === '--json') json = true;
		else if (arg === '--help' || arg === '-h') help = true;
		else if (option !== undefined) {
			if (values[option] !== undefined) throw new UsageError(`--${option} is given twice.`);
			const value = arg === `--${option}` ? argv[++i] : arg.slice(`--${option}=`.length);
			if (value === undefined || value === '') throw new UsageError(`--${option} needs ${needs[option]}.`);
			values[option] = value;
		} else if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}.`);
		else positional.push(arg);
	}
	if (help) return { kind: 'help' };
	const { at } = values;
	const [name, file, ...extra] = positional;
	if (name === undefined) throw new UsageError('no command given.');
	if (name !== 'verify' && name !== 'show' && name !== 'ingest' && name !== 'export') throw new UsageError(`unknown command "${name}"; use verify, show, ingest or export.`);
	if (name !== 'ingest' && name !== 'export' && (values.db !== undefined || values.format !== undefined || values.out !== undefined)) {
		throw new UsageError(`--db, --format and --out only apply to ingest and export.`);
	}
	if (name === 'ingest') {
		if (file === undefined) throw new UsageError('ingest needs bundle files or folders.');
		if (at !== undefined || values.format !== undefined || values.out !== undefined) throw new UsageError('ingest takes only --db and --json.');
		return { kind: 'ingest', paths: positional.slice(1), db: values.db, json };
	}
	if (name === 'export') {
		if (file !== undefined) throw new UsageError(`unexpected argument "${file}"; export reads the registry named by --db.`);
		if (at !== undefined || json) throw new UsageError('export takes only --db, --format and --out.');
		if (values.format !== 'csv' && values.format !== 'xlsx') throw new UsageError('export needs --format csv or --format xlsx.');
		return { kind: 'export', db: values.db, format: values.format, out: values.out };
	}
	if (file === undefined) throw new UsageError(`${name} needs the path of a bundle file.`);
	if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"; give one bundle file.`);
	if (at === undefined) return { kind: name, file, json };
	if (name !== 'show') throw new UsageError('--at only applies to show.');
	try {
		return { kind: name, file, json, at: { text: at, ms: parseInstant(at) } };
	} catch (e) {
		if (!isCasetrailError(e)) throw e;
		throw new UsageError(`--at "${at}" is not an ISO 8601 instant with a time zone, e.g. 2026-11-02T08:03:00Z.`);
	}
}

async function readText(io: CliIo, path: string): Promise<string> {
	const bytes = await io.readFile(path);
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		// Readable but not UTF-8: not a bundle, which verification reports as malformed (exit 1).
		return '\uFFFD';
	}
}

function describeReadError(e: unknown): string {
	const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
	if (code === 'ENOENT') return 'no such file. Check the path.';
	if (code === 'EACCES' || code === 'EPERM') return 'permission denied.';
	if (code === 'EISDIR') return 'it is a folder, not a file.';
	return e instanceof Error ? `${e.message}.` : 'unknown error.';
}

// The human-readable formats below quote bundle fields: each goes through printLines (./terminal).

function formatFailure(error: ErrorData): string {
	return printLines([`INVALID bundle (${error.code})`, `  ${error.message}`]);
}

function formatVerified(v: Extract<BundleVerification, { ok: true }>): string {
	const last = v.from + v.events.length - 1;
	const range = v.events.length === 0 ? 'none' : `${v.events.length} (log positions ${v.from} to ${last})`;
	const proofs =
		v.version === 1
			? []
			: [
					`  proves     ${v.consistency.length === 0 ? 'no earlier checkpoint (none signed before)' : `consistency with the earlier tree sizes ${v.consistency.map((c) => c.treeSize).join(', ')}`}`,
					`  attached   ${v.attachments.length === 0 ? 'none' : `${v.attachments.length} (${v.attachments.reduce((sum, a) => sum + a.length, 0)} bytes), each matching its hash`}`
				];
	return printLines([
		'VALID bundle',
		`  format     version ${v.version}`,
		`  device     ${v.deviceId}`,
		`  events     ${range}`,
		`  tree size  ${v.treeSize}`,
		`  root hash  ${v.rootHashB64}`,
		`  signed at  ${v.issuedAt}`,
		...proofs
	]);
}

/** What a form's submissions do, as the Forms page and `forms` in --json name it: `register-individual`, `event-visit-recorded`... */
function purposeName(purpose: FormPurpose): string {
	return purpose.kind === 'event' ? `event-${purpose.eventType}` : `${purpose.kind}-${purpose.entityType}`;
}

const PURPOSE_TEXT: Readonly<Record<string, string>> = {
	'register-individual': 'registers an individual',
	'register-group': 'registers a household',
	'update-individual': 'updates an individual',
	'update-group': 'updates a household',
	'event-visit-recorded': 'records a visit',
	'event-assistance-provided': 'records assistance provided'
};

type ShownUser = { id: string; name: string; role: string; deviceId?: string; describedAt: string };
type ShownForm = { formId: string; version: string; title: string; purpose: string; hash: string; event: string; publishedAt: string; publishedBy: string };
type Shown = {
	entities: ReturnType<typeof project>['entities'];
	forms?: ShownForm[];
	skipped: { guid: string; reason: string; message: string }[];
	users?: ShownUser[];
};

/** A user id as `show` names it: the name and role a describe-user event gave it, with the bundle's signer. */
function recorderText(users: readonly ShownUser[], id: string): string {
	const user = users.find((u) => u.id === id);
	return user ? `${user.name} (${user.role}, device ${user.deviceId === undefined ? 'unknown' : user.deviceId.slice(0, 8)})` : id;
}

function formatShown(v: Extract<BundleVerification, { ok: true }>, shown: Shown, at: string | undefined, events: readonly CasetrailEvent[]): string {
	const users = shown.users ?? [];
	// Who recorded each entity's events, in the order they first did.
	const recorders = new Map<string, string[]>();
	for (const event of events) {
		const ids = recorders.get(event.entityGuid) ?? [];
		if (!ids.includes(event.userId)) ids.push(event.userId);
		recorders.set(event.entityGuid, ids);
	}
	const lines = [`VALID bundle (format version ${v.version}) from device ${v.deviceId}: ${v.events.length} events, tree size ${v.treeSize}.`];
	lines.push(at === undefined ? `${shown.entities.length} entities:` : `${shown.entities.length} entities as of ${at}:`);
	for (const entity of shown.entities) {
		lines.push('');
		const flags = entity.deleted ? ', DELETED' : '';
		lines.push(`${entity.type} ${entity.guid} (version ${entity.version}${flags}; created ${entity.createdAt}, last updated ${entity.lastUpdated})`);
		for (const [key, value] of Object.entries(entity.data)) lines.push(`  ${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
		if (entity.members !== undefined) {
			lines.push(entity.members.length === 0 ? '  members: none' : '  members:');
			for (const m of entity.members) lines.push(`    ${m.guid}${m.role === undefined ? '' : ` (${m.role})`}`);
		}
		const by = recorders.get(entity.guid) ?? [];
		if (by.length > 0) lines.push(`  recorded by: ${by.map((id) => recorderText(users, id)).join('; ')}`);
	}
	if (users.length > 0) {
		lines.push('', `${users.length} users described (names and roles as the signing device vouches for them):`);
		for (const u of users) lines.push(`  ${u.id}: ${recorderText(users, u.id)}, described ${u.describedAt}`);
	}
	const forms = shown.forms ?? [];
	if (forms.length > 0) {
		lines.push('', `${forms.length} ${forms.length === 1 ? 'form' : 'forms'} published:`);
		for (const f of forms) {
			lines.push(`  ${f.formId} version ${f.version}: ${f.title} (${PURPOSE_TEXT[f.purpose] ?? f.purpose}), published ${f.publishedAt} by ${f.publishedBy}, sha256 ${f.hash}`);
		}
	}
	if (shown.skipped.length > 0) {
		lines.push('', `${shown.skipped.length} events skipped:`);
		for (const s of shown.skipped) lines.push(`  ${s.guid} (${s.reason}): ${s.message}`);
	}
	return printLines(lines);
}
