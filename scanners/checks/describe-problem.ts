import type { ColourMode, StationProfile } from '../profiles/station-profile.ts';
import type { DocumentProblem } from './check-document.ts';
import type { PageProblem } from './check-page.ts';
import type { UnreadableReason } from './inspect-page.ts';

/*
 * What the operator reads at the scanner and in REASON.txt: Vietnamese, plain words, what is
 * wrong and what to do about it. Every text is NFC so that it compares, searches and prints
 * the same everywhere.
 */

const numberFormat = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 3 });
const andList = new Intl.ListFormat('vi', { type: 'conjunction' });
const orList = new Intl.ListFormat('vi', { type: 'disjunction' });
const dateFormat = new Intl.DateTimeFormat('vi-VN', { weekday: 'long', day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'Asia/Ho_Chi_Minh' });
const timeFormat = new Intl.DateTimeFormat('vi-VN', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZone: 'Asia/Ho_Chi_Minh' });

const FORMAT_NAMES: Record<string, string> = { tiff: 'TIFF', jpeg: 'JPEG', png: 'PNG', webp: 'WebP', gif: 'GIF', jp2k: 'JPEG 2000', heif: 'HEIF', svg: 'SVG', pdf: 'PDF' };
const COLOUR_NAMES = { colour: 'ảnh màu', greyscale: 'ảnh xám', bilevel: 'ảnh đen trắng (1 bit)' } as const;
const EXPECTED_COLOUR: Record<ColourMode, string> = { colour: 'ảnh màu', greyscale: 'ảnh xám hoặc đen trắng', any: 'ảnh màu hoặc ảnh xám' };

const number = (value: number) => numberFormat.format(value);
const quoted = (name: string) => `“${name}”`;
const formatName = (format: string) => FORMAT_NAMES[format] ?? format.toUpperCase();

/** One sentence or two for one page problem. */
export function describePageProblem(problem: PageProblem): string {
  return pageText(problem).normalize('NFC');
}

function pageText(problem: PageProblem): string {
  switch (problem.code) {
    case 'unreadable':
      return unreadableText(problem.detail, problem.reason);
    case 'format':
      return `Định dạng ${formatName(problem.format)} không được nhận: hồ sơ này chỉ nhận ${orList.format(problem.accepted.map(formatName))}. Quét lại trang và lưu ở dạng ${formatName(problem.accepted[0] ?? 'tiff')}.`;
    case 'dpi-missing':
      return `Tệp không ghi độ phân giải (dpi). Đặt máy quét ghi độ phân giải vào tệp và quét lại ở ít nhất ${number(problem.min)} dpi.`;
    case 'dpi-low':
      return `Độ phân giải ${number(problem.dpi)} dpi thấp hơn mức tối thiểu ${number(problem.min)} dpi. Quét lại ở ${number(problem.min)} dpi.`;
    case 'colour-mode':
      return colourText(problem.found, problem.expected);
    case 'bit-depth':
      return `Độ sâu màu ${number(problem.found)} bit mỗi kênh không được nhận: hồ sơ này nhận ${orList.format(problem.accepted.map(number))} bit. Đặt máy quét ở ${number(preferredDepth(problem.accepted))} bit và quét lại.`;
    case 'blank':
      return 'Trang trắng: không thấy chữ hay hình trên ảnh. Kiểm tra sách đã đặt đúng trang và nắp máy quét, rồi quét lại; nếu trang sách này vốn để trắng, báo người phụ trách.';
  }
}

function unreadableText(detail: string, reason: UnreadableReason | undefined): string {
  switch (reason) {
    case 'jpeg-2000':
      return 'Tệp là ảnh JPEG 2000, trạm quét không đọc được định dạng này. Quét lại trang và lưu ở dạng TIFF.';
    case 'too-large':
      return `Ảnh quá lớn, trạm quét không mở được (vượt giới hạn số điểm ảnh). Quét lại với vùng quét hoặc độ phân giải nhỏ hơn. (Chi tiết kỹ thuật: ${detail})`;
    default:
      return `Không đọc được tệp: tệp bị hỏng, bị cắt dở (chép chưa xong) hoặc không phải là ảnh. Quét lại trang này hoặc chép lại tệp từ máy quét. (Chi tiết kỹ thuật: ${detail})`;
  }
}

function colourText(found: keyof typeof COLOUR_NAMES, expected: ColourMode): string {
  const setting = expected === 'colour' ? 'chế độ màu' : 'chế độ ảnh xám';
  return `Trang được quét thành ${COLOUR_NAMES[found]}, nhưng hồ sơ này cần ${EXPECTED_COLOUR[expected]}. Chuyển máy quét sang ${setting} và quét lại.`;
}

/** 8 bits where the profile takes it (what every scanner offers), else the first accepted depth. */
function preferredDepth(accepted: number[]): number {
  return accepted.includes(8) ? 8 : (accepted[0] ?? 8);
}

/** One or two sentences for one problem of the whole document. */
export function describeDocumentProblem(problem: DocumentProblem): string {
  return documentText(problem).normalize('NFC');
}

function documentText(problem: DocumentProblem): string {
  switch (problem.code) {
    case 'no-pages':
      return 'Thư mục không có tệp ảnh trang nào. Chép các trang đã quét vào thư mục này.';
    case 'duplicate':
      return `Hai tệp ${quoted(problem.files[0])} và ${quoted(problem.files[1])} giống hệt nhau (cùng một ảnh được lưu hai lần). Xóa trang trùng, rồi kiểm tra xem có thiếu trang nào không.`;
    case 'near-duplicate':
      return `Hai tệp ${quoted(problem.files[0])} và ${quoted(problem.files[1])} gần như giống nhau, có lẽ cùng một trang được quét hai lần (độ khác biệt ${number(problem.difference)}). Xem lại hai ảnh: xóa trang trùng và quét trang còn thiếu, nếu có.`;
    case 'numbering-gap':
      return gapText(problem.missing, problem.missingCount ?? problem.missing.length);
    case 'numbering-repeat':
      return `Số trang ${number(problem.number)} được dùng cho nhiều tệp: ${andList.format(problem.files.map(quoted))}. Mỗi số trang chỉ dùng cho một tệp: đổi tên hoặc xóa tệp thừa.`;
  }
}

function gapText(missing: number[], missingCount: number): string {
  const rest = missingCount - missing.length;
  const listed = numberRanges(missing) + (rest > 0 ? ` và ${number(rest)} số khác (thiếu tất cả ${number(missingCount)} số)` : '');
  return `Dãy số trang trong tên tệp bị đứt quãng, thiếu số ${listed}. Quét bổ sung các trang thiếu, hoặc đặt lại tên tệp cho liền số.`;
}

/** `[3, 5, 6, 7, 9]` → "3, 5–7, 9". */
function numberRanges(numbers: number[]): string {
  const parts: string[] = [];
  for (let start = 0; start < numbers.length; ) {
    let end = start;
    while (end + 1 < numbers.length && numbers[end + 1] === numbers[end]! + 1) end += 1;
    parts.push(end === start ? number(numbers[start]!) : `${number(numbers[start]!)}–${number(numbers[end]!)}`);
    start = end + 1;
  }
  return parts.join(', ');
}

/**
 * The text of REASON.txt in a rejected document folder: what was checked, when and against
 * which profile, every page problem, the document's problems, what to do next, and that
 * nothing was deleted. Ends with a newline; NFC.
 */
export function rejectionReport(input: {
  folder: string;
  profile: StationProfile;
  pages: { name: string; problems: PageProblem[] }[];
  document: DocumentProblem[];
  at: Date;
}): string {
  const failing = input.pages.filter((page) => page.problems.length > 0);
  const lines = [
    `Tài liệu ${quoted(input.folder)} bị trả lại: chưa đạt kiểm tra trước khi gửi lên máy chủ`,
    `Thời điểm: ${dateFormat.format(input.at)} lúc ${timeFormat.format(input.at)} (giờ Việt Nam)`,
    `Hồ sơ quét: ${input.profile.name} — ${input.profile.description}`,
    `Yêu cầu của hồ sơ: ${profileRequirements(input.profile)}.`,
    '',
    failing.length === 0
      ? `Các trang: ${number(input.pages.length)} trang, không trang nào có lỗi riêng.`
      : `Lỗi ở từng trang (${number(failing.length)} trên ${number(input.pages.length)} trang có lỗi):`,
    ...failing.flatMap((page) => [quoted(page.name), ...page.problems.map((problem) => `  - ${describePageProblem(problem)}`)]),
    ...(input.document.length === 0 ? [] : ['', 'Lỗi của cả tài liệu:', ...input.document.map((problem) => `  - ${describeDocumentProblem(problem)}`)]),
    '',
    'Cần làm:',
    '  1. Sửa các lỗi nêu trên (quét lại, thay hoặc xóa tệp, đổi tên tệp).',
    '  2. Chuyển cả thư mục này trở lại thư mục quét để trạm kiểm tra lại.',
    '',
    'Không tệp nào bị xóa: mọi tệp ảnh vẫn nằm nguyên trong thư mục này.',
  ];
  return `${lines.join('\n')}\n`.normalize('NFC');
}

function profileRequirements(profile: StationProfile): string {
  return [
    profile.minDpi > 0 ? `tối thiểu ${number(profile.minDpi)} dpi` : 'không đòi độ phân giải tối thiểu',
    EXPECTED_COLOUR[profile.colourMode],
    `định dạng ${orList.format(profile.formats.map(formatName))}`,
    `${orList.format(profile.bitDepths.map(number))} bit mỗi kênh`,
  ].join('; ');
}
