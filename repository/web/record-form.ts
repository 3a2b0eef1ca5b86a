import { z } from 'zod';
import { isAppError, type AppError } from '../../storage/index.ts';
import { statusByErrorCode } from '../http/error-handler.ts';
import type { MessageKey } from './i18n/vi.ts';

/**
 * A classic HTML form over a repository's `create`/`update`: the text the user typed, the
 * conversion to the repository's input (numbers and choices are checked here, strictly),
 * and a refused save turned back into messages next to the fields. The repository's
 * schemas stay the one judge of everything else (lengths, slug format, ranges, dates).
 */

export type FieldErrors<F extends string> = Partial<Record<F, MessageKey>>;

/** A record form as typed: every field's text, and the message of each refused field. */
export interface FormState<F extends string> {
  values: Record<F, string>;
  errors: FieldErrors<F>;
  /** Problems that name no field of the form, as the repository wrote them. */
  general: string[];
}

/** What a form says when a field is refused: its rule, and for a clash (duplicate slug) its own message. */
export interface FormMessages<F extends string> {
  fields: Record<F, MessageKey>;
  conflicts: FieldErrors<F>;
}

/** The form's text turned into a repository input, or the fields that could not be. */
export type Conversion<T, F extends string> = { type: 'valid'; input: T } | { type: 'invalid'; errors: FieldErrors<F> };

export type Submission<F extends string> =
  | { type: 'saved' }
  | { type: 'refused'; status: number; errors: FieldErrors<F>; general: string[] };

/** Each field's text from a urlencoded body; a missing or repeated field reads as empty. */
export function readForm<F extends string>(body: unknown, fields: readonly F[]): Record<F, string> {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return Object.fromEntries(fields.map((field) => [field, text(record[field])])) as Record<F, string>;
}

/** A form showing `values` with nothing refused. */
export function freshForm<F extends string>(values: Record<F, string>): FormState<F> {
  return { values, errors: {}, general: [] };
}

/**
 * Writes the converted input. A refusal the user can correct — invalid input, a clash, or a
 * record the form names that does not exist (a collection's library) — comes back as field
 * messages with its HTTP status; anything else is thrown on.
 */
export async function submit<T, F extends string>(
  conversion: Conversion<T, F>,
  write: (input: T) => Promise<unknown>,
  messages: FormMessages<F>,
): Promise<Submission<F>> {
  if (conversion.type === 'invalid') return { type: 'refused', status: 400, errors: conversion.errors, general: [] };
  try {
    await write(conversion.input);
    return { type: 'saved' };
  } catch (error) {
    if (!isAppError(error) || !isCorrectable(error, messages)) throw error;
    const status = error.code === 'NOT_FOUND' ? 400 : statusByErrorCode[error.code];
    return { type: 'refused', status, ...refusedFields(error, messages) };
  }
}

function isCorrectable<F extends string>(error: AppError, messages: FormMessages<F>): boolean {
  if (error.code === 'INVALID_INPUT' || error.code === 'CONFLICT') return true;
  return error.code === 'NOT_FOUND' && isField(messages, error.details.field);
}

function isField<F extends string>(messages: FormMessages<F>, name: unknown): name is F {
  return typeof name === 'string' && Object.hasOwn(messages.fields, name);
}

/** The issue list `parseInput` puts in `InvalidInputError.details`. */
const issueList = z.array(z.object({ path: z.array(z.string()), message: z.string() }));

/** The fields an error names (`details.issues[].path[0]`, or `details.field` for clashes) and the rest. */
function refusedFields<F extends string>(error: AppError, messages: FormMessages<F>): { errors: FieldErrors<F>; general: string[] } {
  const errors: FieldErrors<F> = {};
  const general: string[] = [];
  const named = error.details.field;
  if (isField(messages, named)) errors[named] = (error.code === 'CONFLICT' ? messages.conflicts[named] : undefined) ?? messages.fields[named];
  const issues = issueList.safeParse(error.details.issues);
  for (const issue of issues.success ? issues.data : []) {
    const name = issue.path[0];
    if (isField(messages, name)) errors[name] ??= messages.fields[name];
    else general.push(issue.message);
  }
  if (Object.keys(errors).length === 0 && general.length === 0) general.push(error.message);
  return { errors, general };
}

/** Whether `value` is one of a domain list's values (a form's choice, typed back). */
export function isOneOf<T extends string>(list: readonly T[], value: string): value is T {
  return (list as readonly string[]).includes(value);
}
