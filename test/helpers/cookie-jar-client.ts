/** A browser's cookie jar for one site, over fetch: enough to sign in and use the session in tests. */
export class CookieJarClient {
  readonly cookies = new Map<string, string>();
  readonly #baseUrl: string;

  constructor(baseUrl: string) {
    this.#baseUrl = baseUrl;
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(`${this.#baseUrl}${path}`, { redirect: 'manual', ...init, headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) } });
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const [name, value] = pair!.split('=');
      if (value === '') this.cookies.delete(name!);
      else this.cookies.set(name!, value!);
    }
    return response;
  }

  /** The sign-in form's hidden CSRF field, as the page would post it. */
  async loginForm(): Promise<string> {
    const page = await (await this.request('/dang-nhap')).text();
    return /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
  }

  async signIn(username: string, password: string, csrf?: string, next = '/quan-tri'): Promise<Response> {
    return this.request('/dang-nhap', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password, _csrf: csrf ?? (await this.loginForm()), tiep: next }).toString(),
    });
  }
}
