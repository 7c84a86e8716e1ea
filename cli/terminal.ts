/**
 * Text for a terminal. What the command line prints for a person quotes bundle fields, which are
 * attacker-controlled even in a bundle that verifies: a signature says who wrote a text, not that it
 * is harmless. A terminal obeys control characters, so an event could move the cursor up and rewrite
 * the "VALID" line above it, or reverse the order of what follows with a bidi override. Each such
 * character is shown as a visible `\u{…}` instead, so every line printed is exactly the line read.
 */

/**
 * The characters a terminal or a text viewer acts on rather than shows: C0 controls (including tab,
 * carriage return and line feed, so a value never starts a line of its own), DEL, C1 controls (U+009B
 * is a one-character CSI on many terminals), the line and paragraph separators, and the bidirectional
 * formatting characters of Unicode's "Trojan Source" list (CVE-2021-42574).
 */
const ACTIVE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/gu;

/** `text` with every character a terminal would act on written as `\u{hex}`; the rest unchanged. */
export function printable(text: string): string {
	return text.replace(ACTIVE, (c) => `\\u{${c.codePointAt(0)!.toString(16).toUpperCase()}}`);
}

/** The lines, each made {@link printable}, joined by line feeds and ended by one. */
export function printLines(lines: readonly string[]): string {
	return lines.map(printable).join('\n') + '\n';
}
