// Reads a few small parts of a zip file (an .xlsx) through its central directory, so the order in
// which the writer put the parts does not matter. Only what a workbook needs: stored or deflated
// parts, zip64 offsets; no encryption.

import { open, type FileHandle } from 'node:fs/promises';
import { inflateRawSync } from 'node:zlib';

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX32 = 0xffffffff;

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/** Where the central directory is: from the end-of-central-directory record (or its zip64 form). */
async function centralDirectory(file: FileHandle, size: number): Promise<{ offset: number; length: number }> {
  const tailStart = Math.max(0, size - (22 + 65535));
  const tail = await readAt(file, tailStart, size - tailStart);
  let at = tail.length - 22;
  while (at >= 0 && tail.readUInt32LE(at) !== EOCD) at--;
  if (at < 0) throw new Error('it is not a zip archive (an .xlsx is one)');
  let length = tail.readUInt32LE(at + 12);
  let offset = tail.readUInt32LE(at + 16);
  if ((offset === MAX32 || length === MAX32) && at >= 20 && tail.readUInt32LE(at - 20) === ZIP64_LOCATOR) {
    const record = await readAt(file, Number(tail.readBigUInt64LE(at - 12)), 56);
    length = Number(record.readBigUInt64LE(40));
    offset = Number(record.readBigUInt64LE(48));
  }
  return { offset, length };
}

/** The parts of the zip at `path` whose names are in `names` (compared case-insensitively, as OPC does). */
export async function readZipParts(path: string, names: readonly string[]): Promise<Map<string, Buffer>> {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const parts = new Map<string, Buffer>();
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const cd = await centralDirectory(file, size);
    const dir = await readAt(file, cd.offset, cd.length);
    for (let at = 0; at + 46 <= dir.length && dir.readUInt32LE(at) === CENTRAL; ) {
      const method = dir.readUInt16LE(at + 10);
      let compressed = dir.readUInt32LE(at + 20);
      const nameLength = dir.readUInt16LE(at + 28);
      const extraLength = dir.readUInt16LE(at + 30);
      const commentLength = dir.readUInt16LE(at + 32);
      let local = dir.readUInt32LE(at + 42);
      const name = dir.toString('utf8', at + 46, at + 46 + nameLength);
      // zip64: the sizes and offset that do not fit 32 bits are in extra field 0x0001, in this order.
      const extra = dir.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength);
      for (let e = 0; e + 4 <= extra.length; e += 4 + extra.readUInt16LE(e + 2)) {
        if (extra.readUInt16LE(e) !== 1) continue;
        let f = e + 4;
        if (dir.readUInt32LE(at + 24) === MAX32) f += 8;
        if (compressed === MAX32) {
          compressed = Number(extra.readBigUInt64LE(f));
          f += 8;
        }
        if (local === MAX32) local = Number(extra.readBigUInt64LE(f));
      }
      at += 46 + nameLength + extraLength + commentLength;
      if (!wanted.has(name.toLowerCase())) continue;
      const header = await readAt(file, local, 30);
      if (header.length < 30 || header.readUInt32LE(0) !== LOCAL) throw new Error(`its part ${name} is damaged`);
      const data = await readAt(file, local + 30 + header.readUInt16LE(26) + header.readUInt16LE(28), compressed);
      if (method === 0) parts.set(name.toLowerCase(), data);
      else if (method === 8) parts.set(name.toLowerCase(), inflateRawSync(data));
      else throw new Error(`its part ${name} is compressed in a way esprov cannot read (method ${method})`);
    }
  } finally {
    await file.close();
  }
  return parts;
}
