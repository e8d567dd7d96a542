import { randomBytes } from 'node:crypto';
import { zip } from './zip.ts';

/** The start of a 64-bit Linux executable (ELF header and some code bytes). */
export function elf(): Buffer {
  const header = Buffer.alloc(64);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]).copy(header, 0); // ELF, 64-bit, little-endian, v1, System V
  header.writeUInt16LE(2, 16); // ET_EXEC
  header.writeUInt16LE(0x3e, 18); // x86-64
  header.writeUInt32LE(1, 20); // version
  header.writeBigUInt64LE(0x401000n, 24); // entry point
  header.writeUInt16LE(64, 52); // header size
  return Buffer.concat([header, Buffer.from([0x48, 0x31, 0xff, 0xb8, 0x3c, 0, 0, 0, 0x0f, 0x05])]); // exit(0)
}

/** A ZIP of random bytes: an archive, not a document. */
export function randomZip(): Buffer {
  return zip([{ name: 'datos.bin', data: randomBytes(512) }, { name: 'otro/archivo.txt', data: 'hola' }]);
}

export const html = () => Buffer.from('<!DOCTYPE html><html><body><script>alert(1)</script></body></html>');
export const svg = () => Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
