import { IIIF_AUTH_CONTEXT, IIIF_AUTH_PATH } from '../../repository/index.ts';

type LanguageMap = Record<string, string[]>;

const bilingual = (vi: string, en: string): LanguageMap => ({ vi: [vi], en: [en] });

/**
 * The probe service of one document, with the access service (our sign-in page, `active`
 * profile: the viewer opens it in a window) and under it the token and logout services
 * (served by `iiifAuthRoutes`). It goes in the `service` list of every access-controlled
 * resource: image services in info.json, painting bodies in manifests.
 *
 * @see https://iiif.io/api/auth/2.0/#probe-service-description
 */
export function probeServiceDescription(baseUrl: string, itemId: string) {
  const root = `${baseUrl}${IIIF_AUTH_PATH}`;
  return {
    id: `${root}/probe/${encodeURIComponent(itemId)}`,
    type: 'AuthProbeService2',
    service: [
      {
        id: `${root}/access`,
        type: 'AuthAccessService2',
        profile: 'active',
        label: bilingual('Đăng nhập thư viện số', 'Sign in to the digital library'),
        heading: bilingual('Tài liệu dành cho bạn đọc đã đăng ký', 'For registered readers'),
        note: bilingual(
          'Tài liệu này chỉ dành cho bạn đọc đã đăng ký và cán bộ thư viện. Hãy đăng nhập bằng tài khoản thư viện để xem.',
          'This document is for registered readers and library staff. Sign in with your library account to see it.',
        ),
        confirmLabel: bilingual('Đăng nhập', 'Sign in'),
        service: [
          { id: `${root}/token`, type: 'AuthAccessTokenService2', errorHeading: bilingual('Chưa đăng nhập', 'Not signed in') },
          { id: `${root}/logout`, type: 'AuthLogoutService2', label: bilingual('Đăng xuất', 'Sign out') },
        ],
      },
    ],
  };
}

/** A JSON-LD `@context` with the Auth context put first (the API's own context must stay last). */
export function withAuthContext(context: unknown): string[] {
  const contexts = (Array.isArray(context) ? context : [context]).filter((entry): entry is string => typeof entry === 'string' && entry !== IIIF_AUTH_CONTEXT);
  return [IIIF_AUTH_CONTEXT, ...contexts];
}

/**
 * The manifest with the probe service added to each canvas's painting bodies (the images),
 * and the Auth context: what a viewer needs to offer sign-in for a restricted document.
 */
export function withProbeServices(manifest: Record<string, unknown>, probe: ReturnType<typeof probeServiceDescription>): Record<string, unknown> {
  return {
    ...manifest,
    '@context': withAuthContext(manifest['@context']),
    items: arrayOf(manifest.items).map((canvas) => ({
      ...canvas,
      items: arrayOf(canvas.items).map((annotationPage) => ({
        ...annotationPage,
        items: arrayOf(annotationPage.items).map((annotation) => {
          const body = annotation.body;
          if (typeof body !== 'object' || body === null || Array.isArray(body)) return annotation;
          const services = arrayOf((body as Record<string, unknown>).service);
          return { ...annotation, body: { ...body, service: [...services, probe] } };
        }),
      })),
    })),
  };
}

function arrayOf(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter((entry): entry is Record<string, unknown> => typeof entry === 'object' && entry !== null) : [];
}
