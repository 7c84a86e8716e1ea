/**
 * The English messages (ICU MessageFormat through intl-messageformat, src/lib/i18n/message.ts): each
 * parses, its mapper gives exactly the arguments it names, and formatting gives the texts the
 * interface showed when they were template strings; a parameter is never parsed (whatever it holds
 * comes out as it is).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Message, formatMessage, messageFormat } from '../../../src/lib/i18n/message';
import { applyLocale } from '../../../src/lib/i18n/load';
import { en, t } from '../../../src/lib/ui/messages';
import { exchangeEn, xt } from '../../../src/lib/ui/exchange-messages';
import { formsEn, ft } from '../../../src/lib/ui/forms-messages';
import { usersEn, ut } from '../../../src/lib/ui/users-messages';
import { pwaEn, pt } from '../../../src/lib/ui/pwa-messages';
import { errorsEn, et } from '../../../src/lib/ui/error-messages';
import { argumentNames, messages, sampleValues } from './icu';

const english = { t: en, xt: exchangeEn, ft: formsEn, ut: usersEn, pt: pwaEn, et: errorsEn };

afterEach(async () => {
	await applyLocale('en');
});

describe('English messages', () => {
	const all = messages(english);

	it('are all messages (no English text left as a string or a function)', () => {
		const walk = (value: unknown, path: string): void => {
			if (value instanceof Message) return;
			expect(typeof value === 'object' && value !== null, path).toBe(true);
			for (const [key, v] of Object.entries(value as object)) walk(v, `${path}.${key}`);
		};
		walk(english, '');
		expect(all.length).toBeGreaterThan(600);
	});

	it('each parses as ICU MessageFormat', () => {
		for (const { path, message } of all) expect(() => messageFormat('en', message.source), path).not.toThrow();
	});

	it('each mapper gives exactly the arguments its message names', () => {
		for (const { path, message } of all) {
			const names = argumentNames(messageFormat('en', message.source).getAst());
			const given = message.values === undefined ? [] : Object.keys(sampleValues(message));
			expect([...given].sort(), path).toEqual([...names].sort());
		}
	});

	it('each formats with sample arguments, whatever the plural form or choice', () => {
		for (const { path, message } of all) for (const n of [0, 1, 2, 7, 1234]) expect(() => formatMessage('en', message.source, sampleValues(message, n)), path).not.toThrow();
	});
});

describe('English texts, as the interface showed them before', () => {
	it('plain texts, with ICU’s apostrophe rule leaving the English ones alone', () => {
		expect(t.home.title).toBe('Home');
		expect(t.location.denied).toContain('the browser’s settings');
		expect(ft.register.intro).toBe("Your programme's registration forms, the latest version of each. Everything is saved on this device only.");
		expect(ut.me.quickIntro(8)).toContain("kept only in this tab's memory");
		expect(t.sexes.female).toBe('Female');
		expect(t.sexes['nonexistent']).toBeUndefined();
		expect(xt.reasons['bad-signature']).toMatch(/^The signature does not match/);
		expect(et.codes['not-found']).toBe('This is not on this device.');
	});

	it('names and values in place', () => {
		expect(t.app.title('Awa')).toBe('Awa – Casetrail');
		expect(t.home.verifiedOk('12 Mar 2026', 3)).toBe('12 Mar 2026: all 3 events matched.');
		expect(ft.fill.instance('Child', 2)).toBe('Child 2');
		expect(et.problems.tooLong('Awa', 3)).toBe('Awa must be at most 3 characters.');
		expect(pt.storage.usage('1 MB', '2 GB', 3)).toBe('1 MB of 2 GB used (3%)');
		expect(t.recorders.claimed('Awa', 'supervisor', 'ab12')).toBe('Awa (supervisor, device ab12)');
		expect(t.recorders.claimed('Awa', 'supervisor', undefined)).toBe('Awa (supervisor, another device)');
		expect(t.photo.described('image/webp', 2049)).toBe('Photo (WEBP, 3 KB)');
		expect(t.metrics.bytes(12345.5)).toBe('12,346 bytes');
		expect(t.integrity.progressText(12345.5, 20000)).toBe('12,345.5 of 20,000 events checked');
	});

	it('a duration with one decimal, in the language’s own separator', async () => {
		expect(t.integrity.checkedAt('3 Dec 2026', 1.234)).toBe('Checked 3 Dec 2026, in 1.2 s.');
		await applyLocale('fr');
		expect(t.integrity.checkedAt('3 déc. 2026', 1.234)).toBe('Vérifié le 3 déc. 2026, en 1,2 s.');
	});

	it('plurals: zero, one, two, many', () => {
		expect([0, 1, 2, 1234].map((n) => t.households.memberCount(n))).toEqual(['0 members', '1 member', '2 members', '1,234 members']);
		expect([0, 1, 7].map((n) => t.register.age(n))).toEqual(['Age: under 1 year', 'Age: 1 year', 'Age: 7 years']);
		expect([0, 1, 1234].map((n) => xt.export.unexported(n))).toEqual([
			'Every event on this device is in an export.',
			'1 event is not in any export yet.',
			'1,234 events are not in any export yet.'
		]);
		expect(t.integrity.rebuildFixed(1, 1, 1)).toBe('1 stored row differed from what the events say and was rebuilt. 1 event replayed into 1 record; every record now matches the log.');
		expect(t.integrity.rebuildFixed(2, 2, 2)).toBe('2 stored rows differed from what the events say and were rebuilt. 2 events replayed into 2 records; every record now matches the log.');
		expect(xt.export.ready(1, 'casetrail.json')).toBe('Bundle ready: 1 event in casetrail.json.');
		expect(xt.verify.imported(0, 0)).toBe('Imported: 0 events added.');
		expect(xt.verify.imported(2, 2)).toBe('Imported: 2 events added, 2 events already on this device skipped.');
		expect(xt.tables.file('people.csv', 1)).toBe('people.csv (1 row)');
		expect([1, 1234].map((n) => ut.signIn.wait(n))).toEqual(['Too many wrong PINs. Try again in 1 second.', 'Too many wrong PINs. Try again in 1,234 seconds.']);
		expect(ut.secret.strength['too-short'](1)).toBe('too short: 1 more character needed.');
		expect(ut.secret.strength.weak(2)).toBe('weak: easy to guess. Use several unrelated words.');
		expect([1, 2].map((n) => ft.fill.problems(n))).toEqual(['One answer needs attention.', '2 answers need attention.']);
		expect(t.list.results(2, true)).toBe('Showing the first 2 records.');
		expect(t.list.results(1, false)).toBe('1 record found.');
	});

	it('choices: today, yesterday, days; ranges; kinds; none', () => {
		expect([0, 1, 7].map((d) => xt.export.last(d, 1234))).toEqual([
			'Last export: today, up to event 1,234.',
			'Last export: yesterday, up to event 1,234.',
			'Last export: 7 days ago, up to event 1,234.'
		]);
		expect([0, 1, 7].map((d) => pt.storage.lastExport(d))).toEqual(['Last export: today.', 'Last export: yesterday.', 'Last export: 7 days ago.']);
		expect(pt.storage.exportOverdue(null)).toMatch(/^Nothing has been exported yet\. Export now: /);
		expect(pt.storage.exportOverdue(7)).toMatch(/^No export for 7 days\. Export now: /);
		expect(pt.storage.attachments(0, '0 B')).toBe('No photos or signatures are stored on this device.');
		expect(pt.storage.attachments(1234, '3 MB')).toBe('Photos and signatures: 1,234 on this device, 3 MB (encrypted like the records).');
		expect(xt.positions(2, 3)).toBe('event 3');
		expect(xt.positions(3, 7)).toBe('events 4 to 7');
		expect(xt.verify.rangeValue(5, 5)).toBe('none (a signed checkpoint only)');
		expect(xt.verify.rangeValue(0, 1)).toBe('event 1');
		expect(xt.verify.formatValue(1)).toBe('version 1 (no consistency proofs)');
		expect(xt.verify.formatValue(2)).toBe('version 2');
		expect(ut.secret.repeat('pin')).toBe('PIN again');
		expect(ut.secret.repeat('passphrase')).toBe('Passphrase again');
		expect(t.geopoint.value(12.65, -8, 25)).toBe('12.65000, -8.00000 (within 25 m)');
		expect(t.location.found(12.65, -8, undefined)).toBe('Location: 12.65000, -8.00000. It is saved with the record.');
		expect(ut.users.rotationWaits(['Awa'])).toMatch(/^The device key is not changed yet: it waits until Awa has signed in once since the update, or you set them a new passphrase\./);
		expect(ut.users.rotationWaits(['Awa', 'Moussa'])).toMatch(/^The device key is not changed yet: it waits until Awa, Moussa have signed in once since the update, or you set each of them a new passphrase\./);
	});
});

describe('interpolation', () => {
	const hostile = ['{n}', '<img src=x onerror=alert(1)>', "'", "'{n}'", '{n, plural, other {#}}', '#'];

	it('a parameter comes out verbatim: never parsed as ICU or markup', () => {
		for (const name of hostile) {
			expect(t.home.welcome(name)).toBe(`Signed in as ${name}.`);
			expect(formatMessage('en', '{n, plural, one {# by {name}} other {# by {name}}}', { n: 2, name })).toBe(`2 by ${name}`);
			expect(formatMessage('fr', 'Connecté en tant que {name}.', { name })).toBe(`Connecté en tant que ${name}.`);
		}
	});

	it('the same in a translation written as ICU, through the module', async () => {
		await applyLocale('fr');
		for (const name of hostile) expect(t.home.welcome(name)).toContain(name);
	});

	it('markup in a message itself is text too (tags are not parsed)', () => {
		expect(formatMessage('en', 'a <b>{x}</b>', { x: 1 })).toBe('a <b>1</b>');
	});
});
