import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Truncated } from '../../src/features/attachments/bytes.ts';
import { readCfbTopLevel } from '../../src/features/attachments/cfb.ts';
import { ATTACHMENT_KINDS, KIND_INFO } from '../../src/features/attachments/kinds.ts';
import { detect, sniff, type Detection } from '../../src/features/attachments/sniff.ts';
import { readZipDirectory } from '../../src/features/attachments/zip.ts';
import { cfb, doc, docx, elf, html, odf, pdf, randomZip, samples, svg, xls, zip } from '../helpers/samples/index.ts';

const kindOf = (d: Detection) => (d.recognized ? d.kind : `not:${d.what}`);

describe('detecting the real type of a file from its bytes', () => {
  it.each(ATTACHMENT_KINDS)('recognizes a valid %s sample with its MIME type and extensions', (kind) => {
    const detection = detect(samples[kind]());
    expect(detection).toEqual({ recognized: true, kind, mime: KIND_INFO[kind].mime, extensions: KIND_INFO[kind].extensions });
  });

  it('does not recognize an executable, whatever it is called', () => {
    expect(kindOf(detect(elf()))).toBe('not:executable');
    expect(kindOf(detect(Buffer.concat([Buffer.from('MZ'), randomBytes(200)])))).toBe('not:executable');
    expect(kindOf(detect(Buffer.from('#!/bin/sh\nrm -rf /\n')))).toBe('not:executable');
  });

  it('does not take a plain ZIP, or a ZIP that only looks like a document, for a document', () => {
    expect(kindOf(detect(randomZip()))).toBe('not:archive');
    expect(kindOf(detect(zip([{ name: '[Content_Types].xml', data: '<Types/>' }])))).toBe('not:archive');
    // Two main folders: not one Office application's document.
    expect(kindOf(detect(zip([{ name: '[Content_Types].xml', data: '<Types/>' }, { name: 'word/a.xml', data: '' }, { name: 'xl/b.xml', data: '' }])))).toBe(
      'not:archive',
    );
    // `mimetype` that is not first, compressed, or names another OpenDocument type.
    expect(kindOf(detect(zip([{ name: 'a.txt', data: 'x' }, { name: 'mimetype', data: 'application/vnd.oasis.opendocument.text', store: true }])))).toBe(
      'not:archive',
    );
    expect(kindOf(detect(zip([{ name: 'mimetype', data: 'application/vnd.oasis.opendocument.text' }])))).toBe('not:archive');
    expect(kindOf(detect(zip([{ name: 'mimetype', data: 'application/vnd.oasis.opendocument.graphics', store: true }])))).toBe(
      'not:archive',
    );
  });

  it('refuses Office documents that carry macros', () => {
    expect(kindOf(detect(docx([{ name: 'word/vbaProject.bin', data: randomBytes(64) }])))).toBe('not:office-macros');
    expect(kindOf(detect(odf('odt', [{ name: 'Basic/Standard/Module1.xml', data: '<x/>' }])))).toBe('not:office-macros');
    expect(kindOf(detect(doc([{ name: 'Macros' }])))).toBe('not:office-macros');
  });

  it('does not recognize a compound file that is not a Word, Excel or PowerPoint document', () => {
    expect(kindOf(detect(cfb([{ name: 'Contents', data: randomBytes(100) }])))).toBe('not:unknown');
    expect(kindOf(detect(cfb([{ name: 'EncryptionInfo', data: randomBytes(100) }, { name: 'EncryptedPackage', data: randomBytes(100) }])))).toBe(
      'not:unknown',
    );
  });

  it('only looks at the top of a compound file: a document embedded deeper does not count', () => {
    const word = { name: 'WordDocument', data: randomBytes(64) };
    // A workbook with a Word document embedded in its object pool is a workbook.
    const workbook = xls([{ name: 'ObjectPool', children: [{ name: '_1234567890', children: [word] }] }]);
    expect(readCfbTopLevel(workbook).map((e) => e.name).sort()).toEqual(['ObjectPool', 'Workbook']);
    expect(kindOf(detect(workbook))).toBe('xls');
    // A Word stream inside a storage is not a Word document.
    expect(kindOf(detect(cfb([{ name: 'Storage', children: [word] }])))).toBe('not:unknown');
  });

  it('does not recognize HTML, SVG, text or nothing', () => {
    expect(kindOf(detect(html()))).toBe('not:markup');
    expect(kindOf(detect(svg()))).toBe('not:markup');
    expect(kindOf(detect(Buffer.from('solo texto')))).toBe('not:unknown');
    expect(kindOf(detect(new Uint8Array(0)))).toBe('not:empty');
  });

  it('needs the signature at the very start: an executable with a PDF or ZIP appended is not a document', () => {
    expect(kindOf(detect(Buffer.concat([elf(), pdf()])))).toBe('not:executable');
    expect(kindOf(detect(Buffer.concat([elf(), docx()])))).toBe('not:executable');
  });

  it('writes a PDF sample whose cross-reference table points at its objects', () => {
    const text = pdf().toString('latin1');
    const xref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)?.[1]);
    expect(text.slice(xref, xref + 4)).toBe('xref');
    const offsets = [...text.slice(xref).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
    expect(offsets).toHaveLength(5);
    offsets.forEach((offset, i) => expect(text.slice(offset, offset + 8)).toBe(`${i + 1} 0 obj\n`));
  });

  it('reads the ZIP central directory of every Office Open XML sample', () => {
    expect(readZipDirectory(docx()).map((e) => e.name)).toEqual(['[Content_Types].xml', '_rels/.rels', 'word/document.xml']);
  });
});

describe('damaged and hostile input', () => {
  /** Throws only `Truncated` (damaged input), never anything else (a bug). */
  function survives(bytes: Uint8Array): void {
    try {
      sniff(bytes);
    } catch (err) {
      if (!(err instanceof Truncated)) throw err;
    }
    expect(() => detect(bytes)).not.toThrow();
  }

  it('reports truncated ZIP and compound files as damaged', () => {
    for (const sample of [docx(), odf('ods'), samples.pptx(), samples.xls(), doc()]) {
      for (const cut of [1, 8, 30, 100, 511, 513, 1024]) {
        if (cut >= sample.length) continue;
        const detection = detect(sample.subarray(0, cut));
        expect(detection.recognized, `cut at ${cut}`).toBe(false);
      }
    }
  });

  it('survives every prefix of every sample', () => {
    for (const make of Object.values(samples)) {
      const sample = make();
      const step = Math.max(1, Math.floor(sample.length / 300));
      for (let cut = 0; cut <= sample.length; cut += step) survives(sample.subarray(0, cut));
    }
  });

  it('survives random corruption of the samples (fuzz)', () => {
    for (const make of Object.values(samples)) {
      const sample = make();
      for (let round = 0; round < 150; round++) {
        const bytes = Buffer.from(sample);
        const flips = 1 + (round % 8);
        for (let i = 0; i < flips; i++) bytes[Math.floor(Math.random() * bytes.length)] = Math.floor(Math.random() * 256);
        survives(bytes);
      }
    }
  });

  it('survives random bytes behind each signature it knows (fuzz)', () => {
    const signatures = [
      [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
      [0xff, 0xd8, 0xff],
      [...Buffer.from('RIFF\0\0\0\0WEBPVP8L')],
      [...Buffer.from('%PDF-1')],
      [0x50, 0x4b, 0x03, 0x04],
      [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
    ];
    for (const signature of signatures) {
      for (let round = 0; round < 200; round++) {
        survives(Buffer.concat([Buffer.from(signature), randomBytes(Math.floor(Math.random() * 3000))]));
      }
    }
    for (let round = 0; round < 300; round++) survives(randomBytes(Math.floor(Math.random() * 2000)));
  });

  it('stops on loops and impossible sizes instead of running away', () => {
    // A ZIP whose end record claims 65534 entries in a directory that is not there.
    const lying = Buffer.from(docx());
    lying.writeUInt16LE(0xfffe, lying.length - 12);
    expect(detect(lying)).toEqual({ recognized: false, what: 'damaged' });

    // A compound file whose directory chain points at itself.
    const looped = Buffer.from(doc());
    looped.writeUInt32LE(1, 512 + 4); // FAT[1] (the directory sector) → 1
    expect(detect(looped)).toEqual({ recognized: false, what: 'damaged' });

    // A compound file whose directory tree is a cycle (the child's right sibling is itself).
    const cyclic = Buffer.from(doc());
    const top = cyclic.readUInt32LE(1024 + 76);
    cyclic.writeUInt32LE(top, 1024 + top * 128 + 72);
    expect(detect(cyclic)).toEqual({ recognized: false, what: 'damaged' });
  });
});
