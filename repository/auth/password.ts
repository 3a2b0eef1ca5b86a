import { hash, verify } from '@node-rs/argon2';

/** Shortest password accepted: a passphrase of a few words, which staff remember better than symbols. */
export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 256;

/** Passwords every guesser tries first (and the product's own name). */
const COMMON = new Set([
  '123456789012', '1234567890123', 'password1234', 'passwordpassword', 'qwertyuiopas', 'qwerty123456', 'abcdefghijkl',
  'matkhau12345', 'matkhau123456', 'thuvien12345', 'thuvienso123', 'thuvienso2025', 'thuvienso2026', 'admin1234567', 'administrator',
  'iloveyou1234', '111111111111', '000000000000', 'vietnam12345', 'hanoi1234567',
]);

/**
 * What is wrong with a new password (empty when it is acceptable): at least 12 characters
 * (code points, so Vietnamese letters count once), not the user name, not a well-known
 * password, not one character repeated. Length beats composition rules (NIST SP 800-63B).
 */
export function passwordProblems(password: string, username: string): string[] {
  const value = password.normalize('NFC');
  const length = [...value].length;
  const problems: string[] = [];
  if (length < MIN_PASSWORD_LENGTH) problems.push(`must be at least ${MIN_PASSWORD_LENGTH} characters long`);
  if (length > MAX_PASSWORD_LENGTH) problems.push(`must be at most ${MAX_PASSWORD_LENGTH} characters long`);
  if (value.toLowerCase().includes(username.toLowerCase())) problems.push('must not contain the user name');
  if (COMMON.has(value.toLowerCase())) problems.push('is one of the passwords every attacker tries first');
  if (new Set(value).size < 4) problems.push('must use more than a few different characters');
  return problems;
}

/** argon2id with the library's defaults (OWASP's minimum: 19 MiB, 2 passes). */
export function hashPassword(password: string): Promise<string> {
  return hash(password.normalize('NFC'));
}

/** Whether the password matches the stored hash; false for a malformed hash rather than an error. */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password.normalize('NFC'));
  } catch {
    return false;
  }
}
