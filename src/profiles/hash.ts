import { createHash } from 'node:crypto';

/** A content hash of a row's fields: equal hashes mean the endpoint needs nothing sent. */
export const hashContent = (content: readonly string[]): string => createHash('sha256').update(content.join('\u0000')).digest('hex').slice(0, 32);
