/**
 * REASON.txt for a document the station could not send for a reason other than its pages (an
 * unreadable item.json, a document the server does not know, a refusal by the server):
 * Vietnamese for the operator, with the technical detail in English below for the
 * administrator.
 */
export function refusalReport(input: { folder: string; reason: string; detail: string; at: Date }): string {
  const when = new Intl.DateTimeFormat('vi-VN', { dateStyle: 'full', timeStyle: 'medium', timeZone: 'Asia/Ho_Chi_Minh' }).format(input.at);
  return `${[
    `Tài liệu “${input.folder}” chưa được gửi lên máy chủ`,
    `Thời điểm: ${when}`,
    '',
    `Lý do: ${input.reason}`,
    '',
    'Không tệp nào bị xóa. Sửa lỗi trên rồi chuyển thư mục này trở lại thư mục quét để trạm gửi lại.',
    '',
    `Chi tiết kỹ thuật (cho quản trị viên): ${input.detail}`,
  ].join('\n')}\n`.normalize('NFC');
}
