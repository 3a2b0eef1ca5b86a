import type { HarvestSource, HarvestSourcePatch, NewHarvestSource } from '../harvest/harvest-source.repository.ts';
import type { Conversion, FieldErrors, FormMessages } from './record-form.ts';

/** The fields of the harvest source form in the order it shows them, named as the repository's input. */
export const HARVEST_SOURCE_FIELDS = ['name', 'baseUrl', 'setSpec', 'intervalMinutes', 'enabled'] as const;
export type HarvestSourceField = (typeof HARVEST_SOURCE_FIELDS)[number];

export const HARVEST_SOURCE_MESSAGES: FormMessages<HarvestSourceField> = {
  fields: {
    name: 'harvest.error.name',
    baseUrl: 'harvest.error.baseUrl',
    setSpec: 'harvest.error.setSpec',
    intervalMinutes: 'harvest.error.interval',
    enabled: 'harvest.error.enabled',
  },
  conflicts: { baseUrl: 'harvest.error.baseUrlTaken' },
};

/** A stored source as the form shows it; a new one is enabled and harvested hourly. */
export function harvestSourceFormValues(source?: HarvestSource): Record<HarvestSourceField, string> {
  return {
    name: source?.name ?? '',
    baseUrl: source?.baseUrl ?? '',
    setSpec: source?.setSpec ?? '',
    intervalMinutes: String(source?.intervalMinutes ?? 60),
    enabled: String(source?.enabled ?? true),
  };
}

/**
 * The form's text as a new source: the interval and the state are checked here, strictly;
 * name, URL and set are judged by the repository. An empty set means the whole repository.
 */
export function harvestSourceInput(values: Record<HarvestSourceField, string>): Conversion<NewHarvestSource, HarvestSourceField> {
  const errors: FieldErrors<HarvestSourceField> = {};
  const interval = values.intervalMinutes.trim();
  if (!/^\d{1,6}$/u.test(interval)) errors.intervalMinutes = HARVEST_SOURCE_MESSAGES.fields.intervalMinutes;
  if (values.enabled !== 'true' && values.enabled !== 'false') errors.enabled = HARVEST_SOURCE_MESSAGES.fields.enabled;
  if (Object.keys(errors).length > 0) return { type: 'invalid', errors };
  const setSpec = values.setSpec.trim();
  return {
    type: 'valid',
    input: { name: values.name, baseUrl: values.baseUrl, setSpec: setSpec === '' ? null : setSpec, intervalMinutes: Number(interval), enabled: values.enabled === 'true' },
  };
}

/**
 * The edit form's text as a patch of `source`. URL and set are left out when unchanged: the
 * repository restarts a source from scratch whenever either is given, and saving the name or
 * the interval must not throw away the incremental harvest.
 */
export function harvestSourcePatch(source: HarvestSource, values: Record<HarvestSourceField, string>): Conversion<HarvestSourcePatch, HarvestSourceField> {
  const conversion = harvestSourceInput(values);
  if (conversion.type === 'invalid') return conversion;
  const { baseUrl, setSpec, ...rest } = conversion.input;
  return {
    type: 'valid',
    input: { ...rest, ...(baseUrl.trim() === source.baseUrl ? {} : { baseUrl }), ...((setSpec ?? null) === source.setSpec ? {} : { setSpec }) },
  };
}
