import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ATTACHMENT_KINDS, KIND_INFO } from '@chattigo/contracts/attachment-kinds';
import { DamagedFile, listZipEntries, readCfbEntries } from '../../src/features/attachments/containers.ts';
import { detect, sniff, type Detection } from '../../src/features/attachments/sniff.ts';
import { cfb, doc, docx, elf, html, odf, pdf, randomZip, samples, svg, xls, zip } from '../helpers/samples/index.ts';

const kindOf = async (bytes: Uint8Array) => {
  const d: Detection = await detect(bytes);
  return d.recognized ? d.kind : `not:${d.what}`;
};

describe('detecting the real type of a file from its bytes', () => {
  it.each(ATTACHMENT_KINDS)('recognizes a valid %s sample with its MIME type and extensions', async (kind) => {
    const detection = await detect(samples[kind]());
    expect(detection).toEqual({ recognized: true, kind, mime: KIND_INFO[kind].mime, extensions: KIND_INFO[kind].extensions });
  });

  it('does not recognize an executable, whatever it is called', async () => {
    expect(await kindOf((elf()))).toBe('not:executable');
    expect(await kindOf((Buffer.concat([Buffer.from('MZ'), randomBytes(200)])))).toBe('not:executable');
    expect(await kindOf((Buffer.from('#!/bin/sh\nrm -rf /\n')))).toBe('not:executable');
  });

  it('does not take a plain ZIP, or a ZIP that only looks like a document, for a document', async () => {
    expect(await kindOf((randomZip()))).toBe('not:archive');
    expect(await kindOf((zip([{ name: '[Content_Types].xml', data: '<Types/>' }])))).toBe('not:archive');
    // Two main folders: not one Office application's document.
    expect(await kindOf((zip([{ name: '[Content_Types].xml', data: '<Types/>' }, { name: 'word/a.xml', data: '' }, { name: 'xl/b.xml', data: '' }])))).toBe(
      'not:archive',
    );
    // `mimetype` that is not first, compressed, or names another OpenDocument type.
    expect(await kindOf((zip([{ name: 'a.txt', data: 'x' }, { name: 'mimetype', data: 'application/vnd.oasis.opendocument.text', store: true }])))).toBe(
      'not:archive',
    );
    expect(await kindOf((zip([{ name: 'mimetype', data: 'application/vnd.oasis.opendocument.text' }])))).toBe('not:archive');
    expect(await kindOf((zip([{ name: 'mimetype', data: 'application/vnd.oasis.opendocument.graphics', store: true }])))).toBe(
      'not:archive',
    );
  });

  it('refuses Office documents that carry macros', async () => {
    expect(await kindOf((docx([{ name: 'word/vbaProject.bin', data: randomBytes(64) }])))).toBe('not:office-macros');
    expect(await kindOf((odf('odt', [{ name: 'Basic/Standard/Module1.xml', data: '<x/>' }])))).toBe('not:office-macros');
    expect(await kindOf((doc([{ name: 'Macros' }])))).toBe('not:office-macros');
  });

  it('does not recognize a compound file that is not a Word, Excel or PowerPoint document', async () => {
    expect(await kindOf((cfb([{ name: 'Contents', data: randomBytes(100) }])))).toBe('not:unknown');
    expect(await kindOf((cfb([{ name: 'EncryptionInfo', data: randomBytes(100) }, { name: 'EncryptedPackage', data: randomBytes(100) }])))).toBe(
      'not:unknown',
    );
  });

  it('only looks at the top of a compound file: a document embedded deeper does not count', async () => {
    const word = { name: 'WordDocument', data: randomBytes(64) };
    // A workbook with a Word document embedded in its object pool is a workbook.
    const workbook = xls([{ name: 'ObjectPool', children: [{ name: '_1234567890', children: [word] }] }]);
    expect(
      readCfbEntries(workbook)
        .filter((e) => e.topLevel)
        .map((e) => e.name)
        .sort(),
    ).toEqual(['ObjectPool', 'Workbook']);
    expect(await kindOf((workbook))).toBe('xls');
    // A Word stream inside a storage is not a Word document.
    expect(await kindOf((cfb([{ name: 'Storage', children: [word] }])))).toBe('not:unknown');
  });

  it('does not recognize HTML, SVG, text or nothing', async () => {
    expect(await kindOf((html()))).toBe('not:markup');
    expect(await kindOf((svg()))).toBe('not:markup');
    expect(await kindOf((Buffer.from('solo texto')))).toBe('not:unknown');
    expect(await kindOf((new Uint8Array(0)))).toBe('not:empty');
  });

  it('needs the signature at the very start: an executable with a PDF or ZIP appended is not a document', async () => {
    expect(await kindOf((Buffer.concat([elf(), pdf()])))).toBe('not:executable');
    expect(await kindOf((Buffer.concat([elf(), docx()])))).toBe('not:executable');
  });

  it('writes a PDF sample whose cross-reference table points at its objects', () => {
    const text = pdf().toString('latin1');
    const xref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)?.[1]);
    expect(text.slice(xref, xref + 4)).toBe('xref');
    const offsets = [...text.slice(xref).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
    expect(offsets).toHaveLength(5);
    offsets.forEach((offset, i) => expect(text.slice(offset, offset + 8)).toBe(`${i + 1} 0 obj\n`));
  });

  it('reads the ZIP central directory of every Office Open XML sample', async () => {
    expect((await listZipEntries(docx())).map((e) => e.name)).toEqual(['[Content_Types].xml', '_rels/.rels', 'word/document.xml']);
  });
});

describe('damaged and hostile input', () => {
  /** Rejects only with `DamagedFile` (damaged input), never anything else (a bug). */
  async function survives(bytes: Uint8Array): Promise<void> {
    try {
      await sniff(bytes);
    } catch (err) {
      if (!(err instanceof DamagedFile)) throw err;
    }
    await expect(detect(bytes)).resolves.toBeDefined();
  }

  it('reports truncated ZIP and compound files as damaged', async () => {
    for (const sample of [docx(), odf('ods'), samples.pptx(), samples.xls(), doc()]) {
      for (const cut of [1, 8, 30, 100, 511, 513, 1024]) {
        if (cut >= sample.length) continue;
        const detection = await detect(sample.subarray(0, cut));
        expect(detection.recognized, `cut at ${cut}`).toBe(false);
      }
    }
  });

  it('survives every prefix of every sample', async () => {
    for (const make of Object.values(samples)) {
      const sample = make();
      const step = Math.max(1, Math.floor(sample.length / 300));
      for (let cut = 0; cut <= sample.length; cut += step) await survives(sample.subarray(0, cut));
    }
  });

  it('survives random corruption of the samples (fuzz)', async () => {
    for (const make of Object.values(samples)) {
      const sample = make();
      for (let round = 0; round < 150; round++) {
        const bytes = Buffer.from(sample);
        const flips = 1 + (round % 8);
        for (let i = 0; i < flips; i++) bytes[Math.floor(Math.random() * bytes.length)] = Math.floor(Math.random() * 256);
        await survives(bytes);
      }
    }
  });

  it('survives random bytes behind each signature it knows (fuzz)', async () => {
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
        await survives(Buffer.concat([Buffer.from(signature), randomBytes(Math.floor(Math.random() * 3000))]));
      }
    }
    for (let round = 0; round < 300; round++) await survives(randomBytes(Math.floor(Math.random() * 2000)));
  });

  it('stops on loops and impossible sizes instead of running away', async () => {
    // A ZIP whose end record claims 65534 entries in a directory that is not there.
    const lying = Buffer.from(docx());
    lying.writeUInt16LE(0xfffe, lying.length - 12);
    expect(await detect(lying)).toEqual({ recognized: false, what: 'damaged' });

    // A compound file whose directory chain points at itself: cfb stops at the loop and reads the
    // one directory sector there is, which is a Word document.
    const looped = Buffer.from(doc());
    looped.writeUInt32LE(1, 512 + 4); // FAT[1] (the directory sector) → 1
    expect(await kindOf(looped)).toBe('doc');

    // A compound file whose directory tree is a cycle (the child's right sibling is itself).
    const cyclic = Buffer.from(doc());
    const top = cyclic.readUInt32LE(1024 + 76);
    cyclic.writeUInt32LE(top, 1024 + top * 128 + 72);
    expect(await detect(cyclic)).toEqual({ recognized: false, what: 'damaged' });
  });
});

describe('hostile files, read through file-type, yauzl and cfb', () => {
  const contentTypes = (part: string, type: string) =>
    `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="${part}" ContentType="${type}"/></Types>`;

  it('calls a truncated Office Open XML or OpenDocument file damaged, not a document', async () => {
    for (const sample of [docx(), samples.xlsx(), samples.pptx(), odf('odt')]) {
      // The local headers file-type reads are all there; the central directory is cut off.
      expect(await kindOf(sample.subarray(0, sample.length - 10))).toBe('not:damaged');
    }
  });

  it('refuses macro-enabled Office Open XML types even without a vbaProject.bin', async () => {
    const macroEnabled = [
      ['/word/document.xml', 'application/vnd.ms-word.document.macroEnabled.main+xml', 'word/document.xml'],
      ['/xl/workbook.xml', 'application/vnd.ms-excel.sheet.macroEnabled.main+xml', 'xl/workbook.xml'],
      ['/ppt/presentation.xml', 'application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml', 'ppt/presentation.xml'],
    ] as const;
    for (const [part, type, name] of macroEnabled) {
      expect(await kindOf(zip([{ name: '[Content_Types].xml', data: contentTypes(part, type) }, { name, data: '<x/>' }])), type).toBe('not:office-macros');
    }
    // An Excel VBA project in a workbook that calls itself macro-free.
    expect(await kindOf(zip([
      { name: '[Content_Types].xml', data: contentTypes('/xl/workbook.xml', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml') },
      { name: 'xl/workbook.xml', data: '<x/>' },
      { name: 'xl/vbaProject.bin', data: randomBytes(64) },
    ]))).toBe('not:office-macros');
    expect(await kindOf(odf('ods', [{ name: 'Scripts/python/macro.py', data: 'import os' }]))).toBe('not:office-macros');
  });

  it('refuses a document whose content types name one application and whose folder is another', async () => {
    const wordTypeExcelFolder = zip([
      { name: '[Content_Types].xml', data: contentTypes('/word/document.xml', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml') },
      { name: 'xl/workbook.xml', data: '<x/>' },
    ]);
    expect(await kindOf(wordTypeExcelFolder)).toBe('not:archive');
  });

  it('refuses compound files with a VBA storage, wherever it is', async () => {
    const module = { name: 'dir', data: randomBytes(64) };
    expect(await kindOf(doc([{ name: 'Macros', children: [{ name: 'VBA', children: [module] }] }]))).toBe('not:office-macros');
    expect(await kindOf(xls([{ name: '_VBA_PROJECT_CUR', children: [{ name: 'VBA', children: [module] }] }]))).toBe('not:office-macros');
    // A workbook with macros embedded in a Word document's object pool.
    const embedded = { name: '_1234567890', children: [{ name: 'Workbook', data: randomBytes(64) }, { name: '_VBA_PROJECT_CUR', children: [] }] };
    expect(await kindOf(doc([{ name: 'ObjectPool', children: [embedded] }]))).toBe('not:office-macros');
    expect(await kindOf(doc([{ name: 'Stuff', children: [{ name: 'VBA', children: [] }] }]))).toBe('not:office-macros');
  });

  it('judges a renamed executable by its bytes: a Windows program called informe.pdf is an executable', async () => {
    const program = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(58), Buffer.from([0x80, 0, 0, 0]), randomBytes(400)]);
    expect(await kindOf(program)).toBe('not:executable');
    expect(await kindOf(Buffer.concat([elf(), Buffer.from('%PDF-1.4\n')]))).toBe('not:executable');
  });

  it('does not look past a leading tag for a document behind it', async () => {
    const id3 = Buffer.from([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 10, ...new Array<number>(10).fill(0)]);
    expect(await kindOf(Buffer.concat([id3, pdf()]))).toBe('not:unknown');
  });

  it('refuses ZIPs whose entry names climb out of the archive', async () => {
    const climbing = docx([{ name: '../../etc/cron.d/x', data: 'x' }]);
    expect(await kindOf(climbing)).toBe('not:damaged');
  });

  it('bounds the work on an archive with very many entries', async () => {
    const many = Array.from({ length: 20_001 }, (_, i) => ({ name: `word/media/${i}`, data: '', store: true }));
    const bomb = docx(many);
    const started = performance.now();
    expect(await kindOf(bomb)).toBe('not:damaged');
    expect(performance.now() - started).toBeLessThan(2_000);
    // Under the bound, every entry is listed and the document is judged as usual.
    expect(await kindOf(docx(many.slice(0, 5_000)))).toBe('docx');
  });
});
