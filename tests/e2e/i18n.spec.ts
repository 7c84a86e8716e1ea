// The interface in the languages of the field (issue 19): the main journey (set up, register,
// search, edit with a reason, history with time travel, export) in English, French, Spanish and
// Arabic, each chosen by the browser's language, with axe clean on every page; Arabic laid out right
// to left (screenshots kept as test artifacts); the language switch on the sign-in page and in
// settings, remembered for the device and for each user. The expected texts are written here, not
// read from the catalogs, so a wrong or missing translation fails.
import { test, expect, type Page, type TestInfo } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { ADMIN, expectAccessible, fillPerson, go, setUp, signOut } from './fixtures';

interface Journey {
	/** The browser's language: the interface starts in it with nothing chosen. */
	browser: string;
	lang: 'en' | 'fr' | 'es' | 'ar';
	dir: 'ltr' | 'rtl';
	person: { givenName: string; familyName: string };
	/** What a case worker types to find the person: without accents or with other letter forms. */
	typed: string;
	/** A word of the month of 12 March in this language's dates. */
	march: string;
	s: {
		description: string;
		setUp: string;
		register: string;
		saved: (name: string) => string;
		search: string;
		oneFound: string;
		edit: string;
		save: string;
		reasonRequired: string;
		updated: string;
		history: string;
		historyOf: (name: string) => string;
		changed: string;
		instant: string;
		show: string;
		notYet: string;
		wholeLog: string;
		createBundle: string;
		bundleReady: string;
		prepareTables: string;
		nav: string;
	};
}

const JOURNEYS: Journey[] = [
	{
		browser: 'en-US',
		lang: 'en',
		dir: 'ltr',
		person: { givenName: 'Grace', familyName: 'Auma' },
		typed: 'grac',
		march: 'Mar',
		s: {
			description: 'Casetrail: Offline case registry with a tamper-evident audit trail',
			setUp: 'Set up this device',
			register: 'Register',
			saved: (name) => `${name} is registered.`,
			search: 'Search by name or id',
			oneFound: '1 record found.',
			edit: 'Edit',
			save: 'Save changes',
			reasonRequired: 'Reason is required.',
			updated: 'The changes are saved.',
			history: 'History and time travel',
			historyOf: (name) => `History of ${name}`,
			changed: 'Details changed',
			instant: 'Date and time',
			show: 'Show',
			notYet: 'The record did not exist yet at that moment.',
			wholeLog: 'Whole log',
			createBundle: 'Create bundle',
			bundleReady: 'Bundle ready: 3 events',
			prepareTables: 'Prepare tables',
			nav: 'Main'
		}
	},
	{
		browser: 'fr-FR',
		lang: 'fr',
		dir: 'ltr',
		person: { givenName: 'Hélène', familyName: 'Lefèvre' },
		typed: 'helene lefev',
		march: 'mars',
		s: {
			description: 'Casetrail\u202f: Registre de cas hors ligne avec une piste d’audit infalsifiable',
			setUp: 'Configurer cet appareil',
			register: 'Enregistrer',
			saved: (name) => `${name} est enregistré(e).`,
			search: 'Chercher par nom ou identifiant',
			oneFound: '1 dossier trouvé.',
			edit: 'Modifier',
			save: 'Enregistrer les modifications',
			reasonRequired: 'Motif : ce champ est obligatoire.',
			updated: 'Les modifications sont enregistrées.',
			history: 'Historique et retour dans le temps',
			historyOf: (name) => `Historique de ${name}`,
			changed: 'Informations modifiées',
			instant: 'Date et heure',
			show: 'Afficher',
			notYet: 'Le dossier n’existait pas encore à ce moment-là.',
			wholeLog: 'Tout le journal',
			createBundle: 'Créer le lot',
			bundleReady: 'Lot prêt : 3 événements',
			prepareTables: 'Préparer les tableaux',
			nav: 'Principale'
		}
	},
	{
		browser: 'es-MX',
		lang: 'es',
		dir: 'ltr',
		person: { givenName: 'José', familyName: 'Ñúñez' },
		typed: 'nunez',
		march: 'mar',
		s: {
			description: 'Casetrail: Registro de casos sin conexión con una pista de auditoría a prueba de manipulaciones',
			setUp: 'Configurar este dispositivo',
			register: 'Registrar',
			saved: (name) => `${name} ha quedado registrado/a.`,
			search: 'Buscar por nombre o identificador',
			oneFound: '1 expediente encontrado.',
			edit: 'Editar',
			save: 'Guardar los cambios',
			reasonRequired: 'Motivo: este campo es obligatorio.',
			updated: 'Los cambios están guardados.',
			history: 'Historial y viaje en el tiempo',
			historyOf: (name) => `Historial de ${name}`,
			changed: 'Datos modificados',
			instant: 'Fecha y hora',
			show: 'Mostrar',
			notYet: 'El expediente aún no existía en ese momento.',
			wholeLog: 'Todo el registro',
			createBundle: 'Crear el paquete',
			bundleReady: 'Paquete listo: 3 eventos',
			prepareTables: 'Preparar las tablas',
			nav: 'Principal'
		}
	},
	{
		browser: 'ar-EG',
		lang: 'ar',
		dir: 'rtl',
		person: { givenName: 'فاطمة', familyName: 'الزهراء' },
		// Teh marbuta typed as heh, as search folding in Arabic allows.
		typed: 'فاطمه',
		march: 'مارس',
		s: {
			description: 'Casetrail: سجل حالات يعمل دون اتصال مع سجل تدقيق يكشف أي تلاعب',
			setUp: 'إعداد هذا الجهاز',
			register: 'تسجيل',
			saved: (name) => `تم تسجيل ${name}.`,
			search: 'البحث بالاسم أو المعرّف',
			oneFound: 'تم العثور على ملف واحد.',
			edit: 'تعديل',
			save: 'حفظ التغييرات',
			reasonRequired: 'السبب: هذا الحقل إلزامي.',
			updated: 'حُفظت التغييرات.',
			history: 'السجل التاريخي والعودة بالزمن',
			historyOf: (name) => `السجل التاريخي لـ ${name}`,
			changed: 'تعديل البيانات',
			instant: 'التاريخ والوقت',
			show: 'عرض',
			notYet: 'لم يكن الملف موجودًا بعد في تلك اللحظة.',
			wholeLog: 'السجل كله',
			createBundle: 'إنشاء الحزمة',
			bundleReady: 'الحزمة جاهزة: 3 أحداث',
			prepareTables: 'إعداد الجداول',
			nav: 'القائمة الرئيسية'
		}
	}
];

/** The app's date format in the page's own Intl, for a calendar date (i18n/format.ts). */
function dateIn(page: Page, lang: string, y: number, m: number, d: number): Promise<string> {
	return page.evaluate(
		([l, yy, mm, dd]) =>
			new Intl.DateTimeFormat(l === 'en' ? 'en-GB' : String(l), { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
				new Date(Date.UTC(Number(yy), Number(mm) - 1, Number(dd)))
			),
		[lang, y, m, d] as const
	);
}

async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
	const path = testInfo.outputPath(`${name}.png`);
	await page.screenshot({ path, fullPage: true });
	await testInfo.attach(name, { path, contentType: 'image/png' });
}

for (const journey of JOURNEYS) {
	const { s, lang, person } = journey;
	const name = `${person.givenName} ${person.familyName}`;

	test.describe(`in ${lang}`, () => {
		test.use({ locale: journey.browser });

		test(`the main journey in ${lang}: register, search, edit with a reason, history, export; axe clean`, async ({ page }, testInfo) => {
			// Seven pages, each checked by axe: a long journey, given three times the default time.
			test.slow();
			// Set up, in the browser's language with nothing chosen.
			await page.goto('/setup');
			await expect(page.getByRole('heading', { level: 1, name: s.setUp })).toBeVisible();
			await expect(page.locator('html')).toHaveAttribute('lang', lang);
			await expect(page.locator('meta[name="description"]')).toHaveAttribute('content', s.description);
			await expect(page.locator('html')).toHaveAttribute('dir', journey.dir);
			await expectAccessible(page);
			await page.locator('#setup-name').fill(ADMIN.name);
			await page.locator('#setup-secret').fill(ADMIN.passphrase);
			await page.locator('#setup-repeat').fill(ADMIN.passphrase);
			await page.locator('#setup-understood').check();
			await page.getByRole('button', { name: s.setUp }).click();
			await expect(page).toHaveURL(new URL('/', page.url()).href);
			await expect(page.getByTestId('session-user')).toContainText(ADMIN.name);

			// Register.
			await go(page, '/register');
			await fillPerson(page, { ...person, sex: 'female', dateOfBirth: '1985-03-12', phone: '0772 000 111' });
			await expectAccessible(page);
			await page.getByRole('button', { name: s.register, exact: true }).click();
			const saved = page.getByTestId('saved');
			await expect(saved).toContainText(s.saved(name));

			// Search, typed as a case worker types it.
			await go(page, '/entities');
			await page.getByLabel(s.search).fill(journey.typed);
			await expect(page.getByTestId('result-count')).toHaveText(s.oneFound);
			await expect(page.getByTestId('results').getByRole('link')).toHaveText([name]);
			const dob = await dateIn(page, lang, 1985, 3, 12);
			expect(dob).toContain(journey.march);
			await expect(page.getByTestId('results')).toContainText(dob);
			await expectAccessible(page);

			// The record shows its date of birth in the language's format, never as stored.
			await page.getByTestId('results').getByRole('link', { name }).click();
			await expect(page.getByTestId('entity-name')).toHaveText(name);
			await expect(page.getByTestId('details')).toContainText(dob);
			await expect(page.getByTestId('details')).not.toContainText('1985-03-12');

			// Edit with a reason: the worker's refusal of a missing reason is said in the language.
			await page.getByRole('button', { name: s.edit, exact: true }).click();
			const form = page.getByTestId('edit-form');
			await form.locator('#edit-phone').fill('0772 999 888');
			await form.getByRole('button', { name: s.save }).click();
			await expect(page.getByTestId('edit-reason-error')).toHaveText(s.reasonRequired);
			await expect(page.locator('#edit-reason')).toBeFocused();
			await expectAccessible(page);
			await page.locator('#edit-reason').fill('Nouveau numéro / nuevo número / رقم جديد');
			await form.getByRole('button', { name: s.save }).click();
			await expect(page.getByTestId('notice')).toHaveText(s.updated);
			await expect(page.getByTestId('details')).toContainText('0772 999 888');
			await expectAccessible(page);

			// History, then time travel to an instant before the record existed.
			await page.getByRole('link', { name: s.history }).click();
			await expect(page.getByRole('heading', { level: 1, name: s.historyOf(name) })).toBeFocused();
			const newest = page.getByTestId('trail').getByRole('listitem').first();
			await expect(newest).toContainText(s.changed);
			await expect(newest).toContainText('Nouveau numéro / nuevo número / رقم جديد');
			// A phone number keeps its order in a right-to-left page: it is isolated left to right.
			await expect(newest.getByText('0772 999 888', { exact: true })).toHaveAttribute('dir', 'ltr');
			await expect(page.getByTestId('trail').getByText(person.givenName, { exact: true })).toHaveAttribute('dir', 'auto');
			await expectAccessible(page);
			await page.getByLabel(s.instant).fill('2020-01-01T10:00:00');
			// The browser's own input follows the browser; the app says the instant in its own format.
			const shown = await page.evaluate(
				(l) =>
					new Intl.DateTimeFormat(l === 'en' ? 'en-GB' : l, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(
						new Date(2020, 0, 1, 10, 0, 0)
					),
				lang
			);
			await expect(page.getByTestId('travel-instant-shown')).toContainText(shown);
			await page.getByRole('button', { name: s.show, exact: true }).click();
			await expect(page.getByTestId('time-travel')).toContainText(s.notYet);
			await expectAccessible(page);
			if (lang === 'ar') await screenshot(page, testInfo, 'ar-history');

			// Export: the bundle and the tables keep ISO 8601; only what is shown is translated.
			await go(page, '/exchange');
			await page.getByLabel(s.wholeLog).check();
			await page.getByRole('button', { name: s.createBundle }).click();
			await expect(page.getByTestId('export-ready')).toContainText(s.bundleReady);
			const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download').click()]);
			const bundle = await readFile((await download.path()) as string, 'utf8');
			expect(bundle).toMatch(/"timestamp":"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z"/);
			expect(bundle).toContain('"dateOfBirth":"1985-03-12"');
			await expectAccessible(page);
			await page.getByRole('button', { name: s.prepareTables }).click();
			const files = page.getByTestId('table-files');
			const [csv] = await Promise.all([page.waitForEvent('download'), files.getByRole('link', { name: /^individuals\.csv/ }).click()]);
			const table = await readFile((await csv.path()) as string, 'utf8');
			expect(table.startsWith('\uFEFFguid,version,deleted,created_at,last_updated,')).toBe(true);
			expect(table).toContain('1985-03-12');
			expect(table).toMatch(/,\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z,/);
			expect(table).toContain(person.familyName);
			await expectAccessible(page);
			await expect(page.getByRole('navigation', { name: s.nav })).toBeVisible();
		});
	});
}

test.describe('Arabic, right to left', () => {
	test.use({ locale: 'ar' });

	test('lays out right to left: lang and dir on the page, the navigation from the right; screenshots kept', async ({ page }, testInfo) => {
		await page.goto('/setup');
		await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
		await screenshot(page, testInfo, 'ar-setup');
		await page.locator('#setup-name').fill(ADMIN.name);
		await page.locator('#setup-secret').fill(ADMIN.passphrase);
		await page.locator('#setup-repeat').fill(ADMIN.passphrase);
		await page.locator('#setup-understood').check();
		await page.getByRole('button', { name: 'إعداد هذا الجهاز' }).click();
		await expect(page.getByTestId('session-user')).toContainText(ADMIN.name);

		const nav = page.getByRole('navigation', { name: 'القائمة الرئيسية' });
		const home = await nav.getByRole('link', { name: 'الرئيسية' }).boundingBox();
		const people = await nav.getByRole('link', { name: 'الأفراد والأسر' }).boundingBox();
		const bar = await nav.boundingBox();
		expect(home && people && bar).toBeTruthy();
		// The first link starts at the right edge; the next one is to its left.
		expect(home!.x).toBeGreaterThan(people!.x);
		expect(bar!.x + bar!.width - (home!.x + home!.width)).toBeLessThan(home!.x - bar!.x);
		// Headings start on the right: the text of the h1 ends nearer the right edge of the page than the left.
		const heading = await page.getByRole('heading', { level: 1 }).evaluate((h) => {
			const range = document.createRange();
			range.selectNodeContents(h);
			const text = range.getBoundingClientRect();
			const box = h.getBoundingClientRect();
			return { left: text.left - box.left, right: box.right - text.right };
		});
		expect(heading.right).toBeLessThan(heading.left);
		await expectAccessible(page);
		await screenshot(page, testInfo, 'ar-home');

		await go(page, '/register');
		const given = await page.locator('#reg-givenName').boundingBox();
		const label = await page.locator('label[for="reg-givenName"]').boundingBox();
		// A field's label sits at the right, where an Arabic reader starts.
		expect(label!.x + label!.width).toBeGreaterThan(given!.x + given!.width - 2);
		await expectAccessible(page);
		await screenshot(page, testInfo, 'ar-register');
	});
});

test('the language switch: on the sign-in page for the device, in settings for the user; each user keeps their own', async ({ page }) => {
	await setUp(page);
	await go(page, '/settings');
	const settingsSwitch = page.getByRole('combobox', { name: 'Language', exact: true });
	await expect(settingsSwitch).toHaveValue('en');
	await expectAccessible(page);
	// The administrator chooses Spanish in settings: shown at once, the switch keeps the focus.
	await settingsSwitch.selectOption('es');
	await expect(page.getByRole('heading', { level: 1, name: 'Ajustes' })).toBeVisible();
	await expect(page.locator('html')).toHaveAttribute('lang', 'es');
	await expect(page.getByRole('combobox', { name: 'Idioma', exact: true })).toBeFocused();
	await expectAccessible(page);

	// Signed out, the sign-in page shows the device's last choice; French is chosen there.
	await page.getByTestId('session').getByRole('button', { name: 'Cerrar sesión' }).click();
	await expect(page).toHaveURL(/\/signin$/);
	await expect(page.getByRole('heading', { level: 1, name: 'Iniciar sesión' })).toBeVisible();
	await page.getByRole('combobox', { name: 'Idioma', exact: true }).selectOption('fr');
	await expect(page.getByRole('heading', { level: 1, name: 'Connexion' })).toBeVisible();
	await expect(page.getByRole('combobox', { name: 'Langue', exact: true })).toBeFocused();
	await expectAccessible(page);
	// The device remembers it: a reload (a new worker, signed out) still says it in French.
	await page.reload();
	await expect(page.getByRole('heading', { level: 1, name: 'Connexion' })).toBeVisible();

	// Signing in applies the user's own choice, Spanish, whatever the sign-in page showed.
	await page.getByRole('radio', { name: ADMIN.name, exact: true }).check();
	await page.locator('#signin-secret').fill(ADMIN.passphrase);
	await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
	await expect(page).not.toHaveURL(/\/signin(\?|$)/);
	await expect(page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Inicio' })).toBeVisible();
	await expect(page.locator('html')).toHaveAttribute('lang', 'es');

	// Back to English in settings; signed out, French chosen on the sign-in page again: a wrong
	// passphrase is refused in French (from the worker's code), and signing in brings English back.
	await go(page, '/settings');
	await page.getByRole('combobox', { name: 'Idioma', exact: true }).selectOption('en');
	await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
	await signOut(page);
	await page.getByRole('combobox', { name: 'Language', exact: true }).selectOption('fr');
	await page.getByRole('radio', { name: ADMIN.name, exact: true }).check();
	await page.locator('#signin-secret').fill('not the passphrase');
	await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
	await expect(page.getByTestId('signin-secret-error')).toHaveText(
		'Cette phrase secrète n’est pas la bonne. Vérifiez le verrouillage des majuscules et la langue du clavier, puis réessayez.'
	);
	await expectAccessible(page);
	await page.locator('#signin-secret').fill(ADMIN.passphrase);
	await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
	await expect(page.getByTestId('session-user')).toContainText(ADMIN.name);
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' })).toBeVisible();
	// Signed out again, the sign-in page keeps the device's last choice, French.
	await signOut(page);
	await expect(page.getByRole('heading', { level: 1, name: 'Connexion' })).toBeVisible();
});

/**
 * A value placed in a message (ICU MessageFormat, src/lib/i18n/message.ts) is never parsed: neither
 * as ICU (braces, apostrophes, #) nor as markup; Svelte shows the text.
 */
const WITH_VALUES = [
	{ browser: 'en-US', setUp: 'Set up this device', register: 'Register', saved: (name: string) => `${name} is registered.` },
	{ browser: 'fr-FR', setUp: 'Configurer cet appareil', register: 'Enregistrer', saved: (name: string) => `${name} est enregistré(e).` }
];

for (const { browser, setUp: setUpLabel, register, saved: savedText } of WITH_VALUES) {
	test.describe(`texts with values (${browser})`, () => {
		test.use({ locale: browser });

		test('a value placed in a message is shown as text, never as markup or as ICU syntax', async ({ page }) => {
			await page.goto('/setup');
			await page.locator('#setup-name').fill(ADMIN.name);
			await page.locator('#setup-secret').fill(ADMIN.passphrase);
			await page.locator('#setup-repeat').fill(ADMIN.passphrase);
			await page.locator('#setup-understood').check();
			await page.getByRole('button', { name: setUpLabel }).click();
			await expect(page.getByTestId('session-user')).toContainText(ADMIN.name);
			await go(page, '/register');
			const markup = '<img src=x onerror="document.title=1"> <b>Ama</b> {n}';
			const family = "<b>Diallo</b> '{n, plural, other {#}}' #";
			await fillPerson(page, { givenName: markup, familyName: family, sex: 'female', dateOfBirth: '1990-01-01' });
			await page.getByRole('button', { name: register, exact: true }).click();
			const saved = page.getByTestId('saved');
			await expect(saved).toContainText(savedText(`${markup} ${family}`));
			await expect(saved.locator('img, b')).toHaveCount(0);
			await expect(page).not.toHaveTitle('1');
		});
	});
}
