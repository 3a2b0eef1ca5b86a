/** The `code` of a Node system error or an S3 error (`ENOENT`, `NoSuchKey`), if it has one. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const { code } = error as { code: unknown };
    return typeof code === 'string' && code !== '' ? code : undefined;
  }
  return undefined;
}
