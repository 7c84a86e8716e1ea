/**
 * A language's catalog: one object per message module, each of the English module's exact shape, so
 * the compiler refuses a catalog that lacks a text, has one too many, or takes other parameters
 * (a text that depends on a number or a name is a function of them).
 */
import type { Messages } from '$lib/ui/messages';
import type { ExchangeMessages } from '$lib/ui/exchange-messages';
import type { FormsMessages } from '$lib/ui/forms-messages';
import type { UsersMessages } from '$lib/ui/users-messages';
import type { PwaMessages } from '$lib/ui/pwa-messages';
import type { ErrorMessages } from '$lib/ui/error-messages';

export interface Catalog {
	t: Messages;
	xt: ExchangeMessages;
	ft: FormsMessages;
	ut: UsersMessages;
	pt: PwaMessages;
	et: ErrorMessages;
}

export type CatalogPart = keyof Catalog;
