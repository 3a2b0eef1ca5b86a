import type { ColourMode, PageFormat, StationProfile } from '../profiles/station-profile.ts';
import type { PageInspection, UnreadableReason } from './inspect-page.ts';

/** One thing wrong with one page, as data: the station words it for the operator (describe-problem.ts). */
export type PageProblem =
  | { code: 'unreadable'; detail: string; reason?: UnreadableReason }
  | { code: 'format'; format: string; accepted: PageFormat[] }
  | { code: 'dpi-missing'; min: number }
  | { code: 'dpi-low'; dpi: number; min: number }
  | { code: 'colour-mode'; found: 'colour' | 'greyscale' | 'bilevel'; expected: ColourMode }
  | { code: 'bit-depth'; found: number; accepted: number[] }
  | { code: 'blank' };

/**
 * Everything wrong with one inspected page under a station profile, in the order an operator
 * fixes them (an unreadable file has nothing else to check). An empty list: the page is good.
 */
export function checkPage(inspection: PageInspection, profile: StationProfile): PageProblem[] {
  if (inspection.unreadable !== undefined) {
    return [{ code: 'unreadable', detail: inspection.unreadable, ...(inspection.unreadableReason ? { reason: inspection.unreadableReason } : {}) }];
  }
  return [
    formatProblem(inspection, profile),
    dpiProblem(inspection, profile),
    colourProblem(inspection, profile),
    bitDepthProblem(inspection, profile),
    inspection.blank === true ? ({ code: 'blank' } as const) : undefined,
  ].filter((problem): problem is PageProblem => problem !== undefined);
}

function formatProblem({ format }: PageInspection, profile: StationProfile): PageProblem | undefined {
  if (format === undefined || (profile.formats as string[]).includes(format)) return undefined;
  return { code: 'format', format, accepted: [...profile.formats] };
}

function dpiProblem({ dpi }: PageInspection, { minDpi }: StationProfile): PageProblem | undefined {
  if (minDpi <= 0) return undefined;
  if (dpi === undefined) return { code: 'dpi-missing', min: minDpi };
  return dpi < minDpi ? { code: 'dpi-low', dpi, min: minDpi } : undefined;
}

/** 'greyscale' takes bilevel scans too (1-bit text pages); 'colour' needs a colour file. */
function colourProblem({ colour }: PageInspection, { colourMode }: StationProfile): PageProblem | undefined {
  if (colour === undefined || colourMode === 'any') return undefined;
  const fits = colourMode === 'colour' ? colour === 'colour' : colour !== 'colour';
  return fits ? undefined : { code: 'colour-mode', found: colour, expected: colourMode };
}

function bitDepthProblem({ bitsPerSample }: PageInspection, { bitDepths }: StationProfile): PageProblem | undefined {
  if (bitsPerSample === undefined || bitDepths.includes(bitsPerSample)) return undefined;
  return { code: 'bit-depth', found: bitsPerSample, accepted: [...bitDepths] };
}
