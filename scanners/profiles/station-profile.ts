import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { StationError } from '../station-error.ts';

export type PageFormat = 'tiff' | 'jpeg' | 'png';
export type ColourMode = 'colour' | 'greyscale' | 'any';

/**
 * The OCR profiles the server accepts for an item (repository/database/domain.types.ts
 * `OCR_PROFILES`). Copied, not imported: a station is another machine and imports nothing of
 * the server's. `vie`: Quốc ngữ; `han-vert`: vertical Hán; `han`: horizontal Hán; `vie+han`: mixed;
 * `nom-vert`: vertical Nôm; `han-nom-vert`: vertical Hán and Nôm.
 */
export const STATION_OCR_PROFILES = ['vie', 'han-vert', 'han', 'vie+han', 'nom-vert', 'han-nom-vert'] as const;
export type StationOcrProfile = (typeof STATION_OCR_PROFILES)[number];

/** How a scan station checks the pages of one kind of material before it uploads them. */
export interface StationProfile {
  name: string;
  /** Vietnamese, for the operator. */
  description: string;
  /** 0 = no minimum. */
  minDpi: number;
  formats: PageFormat[];
  /** 'greyscale' accepts grey and bilevel (1-bit); 'colour' needs three or more colour channels. */
  colourMode: ColourMode;
  /** Accepted bits per sample, e.g. [8, 16]; bilevel is 1. */
  bitDepths: number[];
  ocrProfile: StationOcrProfile;
}

export const BUILT_IN_PROFILES = ['rare', 'text', 'han-nom'] as const satisfies readonly string[];

const profileSchema = z.strictObject({
  name: z.string().trim().min(1).max(64),
  description: z.string().trim().min(1).transform((text) => text.normalize('NFC')),
  minDpi: z.int().min(0).max(10_000),
  formats: z
    .array(z.enum(['tiff', 'jpeg', 'png']))
    .min(1)
    .refine((formats) => new Set(formats).size === formats.length, 'each format only once'),
  colourMode: z.enum(['colour', 'greyscale', 'any']),
  bitDepths: z
    .array(z.literal([1, 2, 4, 8, 16, 32]))
    .min(1)
    .refine((depths) => new Set(depths).size === depths.length, 'each bit depth only once'),
  ocrProfile: z.enum(STATION_OCR_PROFILES),
});

/**
 * A built-in profile by name (`rare`, `text`, `han-nom`), or a JSON file by path (a name ending
 * in `.json`). Throws a {@link StationError} naming the file and the field when the profile is
 * unknown, unreadable or invalid; unknown fields are refused too, so a misspelt `minDPI`
 * cannot silently leave the minimum at nothing.
 */
export async function loadStationProfile(nameOrPath: string): Promise<StationProfile> {
  const file = profileFile(nameOrPath);
  const parsed = profileSchema.safeParse(await readProfileJson(file));
  if (!parsed.success) {
    throw new StationError(`Invalid station profile ${file}: ${parsed.error.issues.map(describeIssue).join('; ')}`, { cause: parsed.error });
  }
  return parsed.data;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown field ${issue.keys.join(', ')} (misspelt?)`;
  return `field ${issue.path.length === 0 ? '(the whole profile)' : issue.path.map(String).join('.')}: ${issue.message}`;
}

function profileFile(nameOrPath: string): string {
  if (nameOrPath.toLowerCase().endsWith('.json')) return path.resolve(nameOrPath);
  if ((BUILT_IN_PROFILES as readonly string[]).includes(nameOrPath)) {
    return fileURLToPath(new URL(`./${nameOrPath}.json`, import.meta.url));
  }
  throw new StationError(
    `Unknown station profile "${nameOrPath}": use one of ${BUILT_IN_PROFILES.join(', ')} or the path of a .json file`,
  );
}

async function readProfileJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new StationError(`Cannot read the station profile ${file}`, { cause: error });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new StationError(`The station profile ${file} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}
