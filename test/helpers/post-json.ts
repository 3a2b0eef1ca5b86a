/** POSTs JSON to the API and returns the created record; anything but 201 throws with the server's answer. */
export async function postJson<T = { id: string }>(url: string, body: unknown): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (response.status !== 201) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}
