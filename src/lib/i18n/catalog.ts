/**
 * A language's catalog: one object per message module, each of the English module's exact shape, so
 * the compiler refuses a catalog that lacks a text, has one too many, or takes other parameters
 * (a text that depends on a number or a name is a function of them).
 */
import type { Messages } from '../ui/messages';
import type { ExchangeMessages } from '../ui/exchange-messages';
import type { FormsMessages } from '../ui/forms-messages';
import type { UsersMessages } from '../ui/users-messages';
import type { PwaMessages } from '../ui/pwa-messages';
import type { ErrorMessages } from '../ui/error-messages';

export interface Catalog {
	t: Messages;
	xt: ExchangeMessages;
	ft: FormsMessages;
	ut: UsersMessages;
	pt: PwaMessages;
	et: ErrorMessages;
}

export type CatalogPart = keyof Catalog;
