import { ADMIN_HEADERS } from './running-app.ts';

/**
 * POSTs JSON to the API as the test administrator (or with the headers given) and returns the
 * created record; anything but 201 throws with the server's answer.
 */
export async function postJson<T = { id: string }>(url: string, body: unknown, headers: Record<string, string> = ADMIN_HEADERS): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  if (response.status !== 201) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}
