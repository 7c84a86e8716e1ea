/**
 * A language's catalog: one object per message module, each of the English definitions' exact shape
 * with every message translated (message.ts, `Translation`), so the compiler refuses a catalog that
 * lacks a text or has one too many; tests/unit/i18n/catalogs.test.ts checks that each ICU message
 * parses, uses the English message's argument names and has the language's plural forms.
 */
import type { Translation } from './message';
import type { en } from '../ui/messages';
import type { exchangeEn } from '../ui/exchange-messages';
import type { formsEn } from '../ui/forms-messages';
import type { usersEn } from '../ui/users-messages';
import type { pwaEn } from '../ui/pwa-messages';
import type { errorsEn } from '../ui/error-messages';

export interface Catalog {
	t: Translation<typeof en>;
	xt: Translation<typeof exchangeEn>;
	ft: Translation<typeof formsEn>;
	ut: Translation<typeof usersEn>;
	pt: Translation<typeof pwaEn>;
	et: Translation<typeof errorsEn>;
}

export type CatalogPart = keyof Catalog;
