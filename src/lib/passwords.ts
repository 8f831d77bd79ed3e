import { hash, verify } from '@node-rs/argon2';

/**
 * People's passwords as argon2id PHC strings (salt and parameters inside the string, so a later
 * change of parameters still verifies older hashes). argon2id with the library's defaults:
 * 19 MiB, 2 passes, the OWASP minimum.
 */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/** False for a wrong password and for a stored value that is not a hash at all. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}
