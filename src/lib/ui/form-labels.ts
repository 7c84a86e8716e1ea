/**
 * Labels of a record's values from the form version that recorded them: the history shows each
 * value with the label of its own version, whatever later versions call the question.
 */
import { localize, type FormDefinition, type FormRef } from '$lib/core/forms/definition';
import type { PublishedForm } from '$lib/worker/forms';

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

/** The labels of `definition` in its default language; none when there is no definition. */
export function labelsOf(definition: FormDefinition | undefined): FormLabels {
	const byKey = new Map((definition?.fields ?? []).map((f) => [f.saveTo ?? f.name, f]));
	const lang = definition?.defaultLanguage ?? '';
	return {
		label(key) {
			const field = byKey.get(key);
			const text = field && localize(field.label, lang, lang);
			return text || undefined;
		},
		value(key, value) {
			const field = byKey.get(key);
			if (!field?.choices || typeof value !== 'string') return undefined;
			return value
				.split(' ')
				.filter((v) => v !== '')
				.map((v) => localize(field.choices?.find((c) => c.value === v)?.label, lang, lang) || v)
				.join(', ');
		}
	};
}
