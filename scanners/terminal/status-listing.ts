import type { DocumentState, DocumentStatus } from '../state/station-state.ts';

const STATUS_LABELS: Record<DocumentStatus, string> = {
  queued: 'đang chờ gửi',
  uploading: 'đang gửi',
  done: 'đã gửi xong',
  rejected: 'bị trả lại',
};

const ORDER: DocumentStatus[] = ['uploading', 'queued', 'rejected', 'done'];
const when = new Intl.DateTimeFormat('vi-VN', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Asia/Ho_Chi_Minh' });

/** `station status`: the documents by state (uploading, queued, rejected, done), with pages sent and the last problem. */
export function statusListing(documents: readonly DocumentState[]): string {
  if (documents.length === 0) return 'Trạm chưa nhận tài liệu nào.\n';
  const counts = ORDER.map((status) => `${STATUS_LABELS[status]}: ${documents.filter((document) => document.status === status).length}`);
  const lines = [counts.join(' · '), ''];
  for (const status of ORDER) {
    for (const document of documents.filter((entry) => entry.status === status)) {
      const sent = document.files.filter((file) => file.uploaded).length;
      const pages = status === 'rejected' ? '' : ` ${sent}/${document.files.length} tệp`;
      const item = document.item === undefined ? '' : ` [${document.item.identifier}]`;
      lines.push(`${STATUS_LABELS[status].padEnd(13)} ${document.name}${item}${pages} — ${when.format(new Date(document.updatedAt))}`);
      if (document.destination !== undefined) lines.push(`              → ${document.destination}`);
      if (document.lastError !== undefined && status !== 'done') lines.push(`              lỗi gần nhất: ${document.lastError}`);
      if (document.nextAttemptAt !== undefined && status !== 'done' && status !== 'rejected') {
        lines.push(`              thử lại lúc ${when.format(new Date(document.nextAttemptAt))}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
