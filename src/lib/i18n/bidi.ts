/**
 * The writing direction to give a value shown inside text of either direction: left to right for a
 * value with no letter at all (a phone number "0772 000 111", a date "1985-03-12", an amount), which
 * a right-to-left page would otherwise show with its groups reversed; otherwise `auto`, the direction
 * of its first letter (an Arabic name right to left, "CF-1990-0314" left to right).
 */
export function textDir(text: string): 'ltr' | 'auto' {
	return /\p{L}/u.test(text) ? 'auto' : 'ltr';
}
