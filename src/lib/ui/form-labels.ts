/**
 * Labels of a record's values from the form version that recorded them: the history shows each
 * value with the label of its own version, whatever later versions call the question.
 */
import { localize, type FormDefinition, type FormField, type FormRef } from '../core/forms/definition';
import type { PublishedForm } from '../worker/forms';

export interface FormLabels {
	/** The question's label for a saved property, when the form has one. */
	label(key: string): string | undefined;
	/** A select's value as its choices' labels (space-separated for a select multiple). */
	value(key: string, value: unknown): string | undefined;
}

/** The definition of the version `ref` names among `forms`. */
export function versionOf(forms: readonly PublishedForm[], ref: FormRef | undefined): FormDefinition | undefined {
	if (!ref) return undefined;
	return forms.find((f) => f.definition.formId === ref.id && f.definition.version === ref.version)?.definition;
}

/**
 * The form language to show first: the one whose code is the interface's language (`locale`, e.g.
 * "fr" for a form column `label::Français (fr)`), else the form's default.
 */
export function formLanguageFor(definition: FormDefinition, locale: string | undefined): string {
	const match = locale === undefined ? undefined : definition.languages.find((l) => l.code?.toLowerCase().split('-')[0] === locale);
	return match?.key ?? definition.defaultLanguage;
}

/**
 * The labels of `definition` in the interface's language when the form has it (`locale`), else in
 * its default language; none when there is no definition.
 */
export function labelsOf(definition: FormDefinition | undefined, locale?: string): FormLabels {
	const byKey = new Map((definition?.fields ?? []).filter((f) => f.repeat === undefined).map((f) => [f.saveTo ?? f.name, f]));
	const repeats = new Map((definition?.repeats ?? []).map((r) => [r.name, r]));
	const lang = definition ? formLanguageFor(definition, locale) : '';
	const choiceText = (field: FormField | undefined, value: unknown): string | undefined => {
		if (!field?.choices || typeof value !== 'string') return undefined;
		return value
			.split(' ')
			.filter((v) => v !== '')
			.map((v) => localize(field.choices?.find((c) => c.value === v)?.label, lang, lang) || v)
			.join(', ');
	};
	return {
		label(key) {
			const field = byKey.get(key);
			const text = field ? localize(field.label, lang, lang) : localize(repeats.get(key)?.label, lang, lang);
			return text || undefined;
		},
		value(key, value) {
			const repeat = repeats.get(key);
			if (repeat && Array.isArray(value)) {
				// One line per instance: "Name: Awa, Age: 40; Name: Moussa, Age: 10".
				// In the form's order: stored events have their keys sorted (canonical JSON).
				const fields = (definition?.fields ?? []).filter((f) => f.repeat === repeat.path);
				return value
					.map((instance: unknown) => {
						const answers = (typeof instance === 'object' && instance !== null ? instance : {}) as Record<string, unknown>;
						return fields
							.filter((f) => f.name in answers)
							.map((f) => `${localize(f.label, lang, lang) || f.name}: ${choiceText(f, answers[f.name]) ?? String(answers[f.name])}`)
							.join(', ');
					})
					.join('; ');
			}
			return choiceText(byKey.get(key), value);
		}
	};
}
