/**
 * The Arabic catalog (src/lib/i18n/ar.ts) as ICU messages reads as it did when its texts with
 * parameters were functions: plurals in Arabic's six categories (with the exact forms for today and
 * yesterday, "none" and the like), ranges of log positions, choices, positions and numbers grouped
 * as formatNumber writes them for Arabic. The expected texts are those the functions gave.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyLocale } from '../../../src/lib/i18n/load';
import { t } from '../../../src/lib/ui/messages';
import { xt } from '../../../src/lib/ui/exchange-messages';
import { ut } from '../../../src/lib/ui/users-messages';
import { pt } from '../../../src/lib/ui/pwa-messages';
import { et } from '../../../src/lib/ui/error-messages';

beforeEach(async () => {
	await applyLocale('ar');
});

afterEach(async () => {
	await applyLocale('en');
});

describe('Arabic messages', () => {
	it('count in the six categories, the exact forms first', () => {
		expect([0, 1, 2, 3, 11, 100, 1000000].map((n) => t.households.memberCount(n))).toEqual([
			'لا أعضاء',
			'عضو واحد',
			'عضوان',
			'3 أعضاء',
			'11 عضوًا',
			'100 عضو',
			'1,000,000 عضو'
		]);
		expect([0, 1, 2, 3, 11, 100].map((n) => t.register.age(n))).toEqual([
			'العمر: أقل من سنة',
			'العمر: سنة واحدة',
			'العمر: سنتان',
			'العمر: 3 سنوات',
			'العمر: 11 سنة',
			'العمر: 100 سنة'
		]);
		expect([1, 2, 3, 11, 100].map((n) => ut.signIn.wait(n))).toEqual([
			'رموز PIN خاطئة كثيرة. حاول مرة أخرى بعد ثانية واحدة.',
			'رموز PIN خاطئة كثيرة. حاول مرة أخرى بعد ثانيتين.',
			'رموز PIN خاطئة كثيرة. حاول مرة أخرى بعد 3 ثوانٍ.',
			'رموز PIN خاطئة كثيرة. حاول مرة أخرى بعد 11 ثانية.',
			'رموز PIN خاطئة كثيرة. حاول مرة أخرى بعد 100 ثانية.'
		]);
		expect([0.4, 1.6, 1234.5].map((n) => t.metrics.bytes(n))).toEqual(['0 بايت', 'بايتان', '1,235 بايتًا']);
		expect(et.problems.tooLong('الاسم', 11)).toBe('الاسم: 11 حرفًا على الأكثر.');
	});

	it('say today and yesterday, then the days', () => {
		expect([0, 1, 2, 3, 11, 100].map((d) => xt.export.last(d, 1234))).toEqual([
			'آخر تصدير: اليوم، حتى الحدث 1,234.',
			'آخر تصدير: أمس، حتى الحدث 1,234.',
			'آخر تصدير: منذ يومين، حتى الحدث 1,234.',
			'آخر تصدير: منذ 3 أيام، حتى الحدث 1,234.',
			'آخر تصدير: منذ 11 يومًا، حتى الحدث 1,234.',
			'آخر تصدير: منذ 100 يوم، حتى الحدث 1,234.'
		]);
		expect([0, 1, 2, 7].map((d) => pt.storage.lastExport(d))).toEqual(['آخر تصدير: اليوم.', 'آخر تصدير: أمس.', 'آخر تصدير: منذ يومين.', 'آخر تصدير: منذ 7 أيام.']);
		expect([null, 2, 30].map((d) => pt.storage.exportOverdue(d).split('.')[0])).toEqual(['لم يُصدَّر أي شيء بعد', 'لا تصدير منذ يومين', 'لا تصدير منذ 30 يومًا']);
	});

	it('name a range of log positions from 1, and an empty range as none', () => {
		expect(xt.positions(0, 1)).toBe('الحدث 1');
		expect(xt.positions(3, 7)).toBe('الأحداث من 4 إلى 7');
		expect(xt.positions(999, 1234)).toBe('الأحداث من 1,000 إلى 1,234');
		expect(xt.verify.rangeValue(5, 5)).toBe('لا شيء (نقطة تحقق موقَّعة فقط)');
		expect(xt.verify.rangeValue(3, 4)).toBe('الحدث 4');
		expect(t.integrity.position(12345)).toBe('الحدث في الموضع 12,345');
	});

	it('choose by a value: skipped events, more results, a device, a version, a secret', () => {
		expect(xt.verify.imported(3, 0)).toBe('تم الاستيراد: أُضيفت 3 أحداث.');
		expect(xt.verify.imported(12, 2)).toBe('تم الاستيراد: أُضيفت 12 حدثًا، وتُخطّيت حدثان موجودة على هذا الجهاز بالفعل.');
		expect(t.list.results(250, true)).toBe('عرض أول 250 من الملفات.');
		expect(t.list.results(11, false)).toBe('تم العثور على 11 ملفًا.');
		expect(t.recorders.claimed('Awa', 'مشرف', undefined)).toBe('Awa (مشرف، جهاز آخر)');
		expect(t.recorders.claimed('Awa', 'مشرف', 'AB12')).toBe('Awa (مشرف، الجهاز AB12)');
		expect(xt.verify.formatValue(1)).toBe('الإصدار 1 (بلا إثباتات اتساق)');
		expect(xt.verify.formatValue(2)).toBe('الإصدار 2');
		expect(ut.signIn.secretMissing('pin')).toBe('اكتب رمز PIN.');
		expect(ut.signIn.secretMissing('passphrase')).toBe('اكتب عبارة المرور.');
		expect(pt.storage.attachments(0, '0 B')).toBe('لا توجد صور أو تواقيع مخزَّنة على هذا الجهاز.');
		expect(pt.storage.attachments(3, '2 MB')).toBe('الصور والتواقيع: 3 على هذا الجهاز، 2 MB (مشفّرة مثل الملفات).');
	});

	it('join names with the Arabic comma and choose the pronoun by their number', () => {
		expect(ut.users.rotationWaits(['Awa'])).toMatch(/^لم يتغير مفتاح الجهاز بعد: ينتظر حتى يسجّل Awa الدخول مرة واحدة منذ التحديث، أو حتى تعيّن له عبارة مرور جديدة\./);
		expect(ut.users.rotationWaits(['Awa', 'Moussa'])).toMatch(/^لم يتغير مفتاح الجهاز بعد: ينتظر حتى يسجّل Awa، Moussa الدخول مرة واحدة منذ التحديث، أو حتى تعيّن لكل منهم عبارة مرور جديدة\./);
	});

	it('write a position with its accuracy only when there is one', () => {
		expect(t.geopoint.value(12.65, -8, undefined)).toBe('خط العرض 12.65000، خط الطول \u200e-8.00000');
		expect(t.geopoint.value(12.65, -8, 25)).toBe('خط العرض 12.65000، خط الطول \u200e-8.00000 (بدقة 25 م)');
		expect(t.geopoint.value(0, 0, 1234)).toBe('خط العرض 0.00000، خط الطول 0.00000 (بدقة 1,234 م)');
	});

	it('never parse a value: braces, quotes and # come out as they are', () => {
		expect(t.households.added("O'Brien {x} #", 'رب الأسرة')).toBe("أُضيف O'Brien {x} # بصفة رب الأسرة.");
	});
});
