import test from 'ava';
import { launchChromium, signIn } from '../helpers/browser.ts';
import { digitisedItem } from '../helpers/digitised-item.ts';
import { startAppOnFreePort } from '../helpers/running-app.ts';

/**
 * Every page of the product, in both languages, at desktop and tablet width: no JavaScript
 * error or failed request in the console, nothing fetched from another host, no page wider than
 * the screen, and the page in the language asked for.
 */
test('every web page renders without console errors or horizontal overflow, in Vietnamese and English, on desktop and tablet', async (t) => {
  const { baseUrl, close } = await startAppOnFreePort('web-every-page');
  const browser = await launchChromium();
  try {
    const { itemId, pageIds } = await digitisedItem(baseUrl, 'every-page');
    const item = (await (await fetch(`${baseUrl}/api/items/${itemId}`)).json()) as { collectionId: string };
    const collection = (await (await fetch(`${baseUrl}/api/collections/${item.collectionId}`)).json()) as { id: string; libraryId: string };
    const paths: [string, number][] = [
      ['/', 200],
      [`/bo-suu-tap/${collection.id}`, 200],
      [`/tai-lieu/${itemId}`, 200],
      ['/tim-kiem', 200],
      ['/tim-kiem?q=thu+vien', 200],
      ['/quan-tri', 200],
      ['/quan-tri/bao-cao', 200],
      ['/quan-tri/thu-vien/moi', 200],
      [`/quan-tri/thu-vien/${collection.libraryId}`, 200],
      [`/quan-tri/bo-suu-tap/moi?thu-vien=${collection.libraryId}`, 200],
      [`/quan-tri/bo-suu-tap/${collection.id}`, 200],
      ['/bien-muc/tai-lieu-moi', 200],
      [`/bien-muc/tai-lieu/${itemId}`, 200],
      [`/bien-muc/tai-lieu/${itemId}/trang/${pageIds[0]}/hieu-dinh`, 200],
      [`/viewer/${itemId}`, 200],
      ['/quan-tri/nhat-ky', 200],
      ['/quan-tri/nguon-thu-thap', 200],
      ['/quan-tri/nguon-thu-thap/moi', 200],
      ['/muc-luc-lien-hop?q=thu+vien', 200],
      ['/dang-nhap', 200],
      ['/khong-co-trang-nay', 404],
    ];
    const page = await browser.newPage();
    const problems: string[] = [];
    let current = '';
    page.on('console', (message) => {
      // Mirador 4's bundle carries React 19, which warns about Mirador's own use of element.ref.
      if (message.type() === 'error' && !message.text().startsWith('Accessing element.ref was removed in React 19')) {
        problems.push(`${current}: console: ${message.text()}`);
      }
    });
    page.on('pageerror', (error) => problems.push(`${current}: ${error.message}`));
    page.on('request', (request) => {
      if (!request.url().startsWith(baseUrl) && !request.url().startsWith('data:') && !request.url().startsWith('blob:')) {
        problems.push(`${current}: off-site request ${request.url()}`);
      }
    });
    page.on('requestfailed', (request) => {
      // Leaving a page aborts what it still had open (the operator page's event stream): not a failure.
      if (request.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`${current}: request failed ${request.url()} ${request.failure()?.errorText ?? ''}`);
    });
    await signIn(page, baseUrl);
    let visited = 0;
    for (const [path, status] of paths) {
      for (const language of ['vi', 'en'] as const) {
        for (const width of [1280, 768]) {
          current = `${path} [${language}, ${width}px]`;
          await page.setViewportSize({ width, height: 900 });
          const separator = path.includes('?') ? '&' : '?';
          const response = await page.goto(`${baseUrl}${path}${separator}lang=${language}`, { waitUntil: 'networkidle' });
          t.is(response?.status(), status, current);
          // The 404 page answers with its status on purpose; Chromium logs that as a failed resource.
          if (status !== 200) problems.splice(0, problems.length, ...problems.filter((problem) => !problem.startsWith(`${current}: console: Failed to load resource`)));
          t.is(await page.evaluate<string>('document.documentElement.lang'), language, current);
          const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
          t.true(overflow <= 0, `${current}: ${overflow}px wider than the screen`);
          visited += 1;
        }
      }
    }
    t.is(visited, paths.length * 4);
    t.deepEqual(problems, []);
  } finally {
    await browser.close();
    await close();
  }
});
