import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { StationError } from '../station-error.ts';

/** How the station talks to the server and paces itself (`watch` and `upload`). */
export interface StationRunOptions {
  server: string;
  token?: string;
  profile: string;
  collectionId?: string;
  statePath: string;
  stableMs: number;
  quietMs: number;
  pollMs: number;
  parallel: number;
  chunkBytes: number;
  maxRetryMs: number;
  keepFolders: boolean;
  process: boolean;
  logLevel: string;
}

export type StationCommand =
  | { command: 'watch'; hotFolder: string; options: StationRunOptions }
  | { command: 'upload'; folders: string[]; options: StationRunOptions }
  | { command: 'status'; statePath: string }
  | { command: 'help' };

export const USAGE = `Trạm quét — gửi ảnh quét lên kho số (Thư viện số)

  npm run station -- watch THƯ_MỤC --server URL [tùy chọn]   theo dõi thư mục quét
  npm run station -- upload THƯ_MỤC_TÀI_LIỆU... --server URL  gửi ngay một hay nhiều thư mục tài liệu
  npm run station -- status [--state TỆP]                     liệt kê tài liệu chờ, đang gửi, đã gửi, bị trả lại

Tùy chọn:
  --server URL            địa chỉ máy chủ (hoặc biến STATION_SERVER)
  --token MÃ              mã truy cập API (hoặc biến STATION_TOKEN, nên dùng biến)
  --profile TÊN|TỆP.json  cấu hình trạm: rare, text, han-nom hoặc một tệp JSON (mặc định: text)
  --collection ID         bộ sưu tập cho thư mục chỉ mang ký hiệu tài liệu
  --state TỆP             tệp trạng thái của trạm (mặc định ~/.thu-vien-so/station-state.json hoặc STATION_STATE)
  --stable-seconds N      tệp được nhận khi không đổi trong N giây (mặc định 5)
  --quiet-minutes N       nhận tài liệu sau N phút không có tệp mới nếu chưa có tệp "done" (mặc định 10; 0: chỉ khi có "done")
  --poll-seconds N        khoảng giữa hai lần xem thư mục (mặc định 2)
  --parallel N            số tệp gửi cùng lúc (mặc định 2)
  --chunk-mb N            cỡ mỗi lần gửi, MB (mặc định 8)
  --retry-max-seconds N   chờ lâu nhất giữa hai lần thử khi máy chủ không trả lời (mặc định 300)
  --keep                  để nguyên thư mục sau khi gửi (không chuyển vào done/)
  --no-process            không yêu cầu máy chủ xử lý sau khi gửi
  --log-level MỨC         nhật ký kỹ thuật ra stderr: error, warn, info, debug (mặc định warn)
`;

const positive = (name: string) => z.coerce.number({ error: `--${name} must be a number` }).positive(`--${name} must be more than 0`);
const runSchema = z.object({
  server: z.url({ protocol: /^https?$/, error: 'give the server as --server http(s)://… (or STATION_SERVER)' }),
  token: z.string().min(1).optional(),
  profile: z.string().min(1),
  collection: z.string().min(1).optional(),
  state: z.string().min(1),
  'stable-seconds': z.coerce.number().min(0),
  'quiet-minutes': z.coerce.number().min(0),
  'poll-seconds': positive('poll-seconds'),
  parallel: z.coerce.number().int().min(1).max(16),
  'chunk-mb': positive('chunk-mb'),
  'retry-max-seconds': positive('retry-max-seconds'),
  keep: z.boolean(),
  'no-process': z.boolean(),
  'log-level': z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
});

/**
 * The station's command line and environment (`STATION_SERVER`, `STATION_TOKEN`,
 * `STATION_STATE`, `STATION_PROFILE`), read and checked in this one place. Throws
 * `StationError` with what is wrong; `help` for no arguments or `--help`.
 */
export function parseStationCommand(argv: readonly string[], env: NodeJS.ProcessEnv): StationCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        server: { type: 'string' },
        token: { type: 'string' },
        profile: { type: 'string' },
        collection: { type: 'string' },
        state: { type: 'string' },
        'stable-seconds': { type: 'string' },
        'quiet-minutes': { type: 'string' },
        'poll-seconds': { type: 'string' },
        parallel: { type: 'string' },
        'chunk-mb': { type: 'string' },
        'retry-max-seconds': { type: 'string' },
        keep: { type: 'boolean' },
        'no-process': { type: 'boolean' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new StationError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (command === undefined || values.help) return { command: 'help' };
  const statePath = path.resolve(values.state ?? env.STATION_STATE ?? path.join(os.homedir(), '.thu-vien-so', 'station-state.json'));
  if (command === 'status') return { command: 'status', statePath };
  if (command !== 'watch' && command !== 'upload') throw new StationError(`Unknown command "${command}": use watch, upload or status`);
  if (rest.length === 0) throw new StationError(`"${command}" needs a folder`);
  if (command === 'watch' && rest.length > 1) throw new StationError('"watch" takes one hot folder');

  const result = runSchema.safeParse({
    server: values.server ?? env.STATION_SERVER,
    token: values.token ?? env.STATION_TOKEN,
    profile: values.profile ?? env.STATION_PROFILE ?? 'text',
    collection: values.collection,
    state: statePath,
    'stable-seconds': values['stable-seconds'] ?? '5',
    'quiet-minutes': values['quiet-minutes'] ?? '10',
    'poll-seconds': values['poll-seconds'] ?? '2',
    parallel: values.parallel ?? '2',
    'chunk-mb': values['chunk-mb'] ?? '8',
    'retry-max-seconds': values['retry-max-seconds'] ?? '300',
    keep: values.keep ?? false,
    'no-process': values['no-process'] ?? false,
    'log-level': values['log-level'] ?? 'warn',
  });
  if (!result.success) {
    throw new StationError(result.error.issues.map((issue) => `${issue.path.length > 0 ? `--${issue.path.join('.')}: ` : ''}${issue.message}`).join('; '));
  }
  const value = result.data;
  const options: StationRunOptions = {
    server: value.server,
    token: value.token,
    profile: value.profile,
    collectionId: value.collection,
    statePath,
    stableMs: value['stable-seconds'] * 1000,
    quietMs: value['quiet-minutes'] * 60 * 1000,
    pollMs: value['poll-seconds'] * 1000,
    parallel: value.parallel,
    chunkBytes: Math.round(value['chunk-mb'] * 1024 * 1024),
    maxRetryMs: value['retry-max-seconds'] * 1000,
    keepFolders: value.keep,
    process: !value['no-process'],
    logLevel: value['log-level'],
  };
  const folders = rest.map((folder) => path.resolve(folder));
  return command === 'watch' ? { command, hotFolder: folders[0]!, options } : { command, folders, options };
}
