import type { Response } from 'express';
import { isAppError } from '../../storage/index.ts';
import type { SafeHtml } from './html.ts';

/** What every page router needs to answer: send a page, treat a missing record as a 404 page. */

/** Answers a rendered page; pages are never cached without revalidation (they show live figures). */
export function sendPage(res: Response, status: number, page: SafeHtml): void {
  res.status(status).set('Cache-Control', 'no-cache').type('html').send(page.value);
}

/** The lookup's result, or undefined when it reports the record missing (or its id malformed). */
export async function orNotFound<T>(lookup: () => Promise<T>): Promise<T | undefined> {
  try {
    return await lookup();
  } catch (error) {
    if (isAppError(error) && (error.code === 'NOT_FOUND' || error.code === 'INVALID_INPUT')) return undefined;
    throw error;
  }
}
