import { describe, expect, it } from 'vitest';
import { ATTACHMENT_KINDS } from '@chattigo/contracts/attachment-kinds';
import { acceptAttribute, checkFile, DEFAULT_MAX_BYTES, DEFAULT_POLICY, extensionOf, type ClientPolicy } from '../../src/features/attachments/policy.ts';
import { downloadUrl, parseMxc, thumbnailUrl } from '../../src/features/attachments/media.ts';

const file = (name: string, type: string, size = 1000) => ({ name, type, size });

describe('attachment policy in the client', () => {
  it('allows by default every kind the appservice knows, up to 25 MiB', () => {
    expect(DEFAULT_POLICY.kinds.map((k) => k.kind)).toEqual([...ATTACHMENT_KINDS]);
    expect(DEFAULT_POLICY.maxBytes).toBe(DEFAULT_MAX_BYTES);
    expect(acceptAttribute(DEFAULT_POLICY)).toContain('.pdf');
    expect(acceptAttribute(DEFAULT_POLICY)).toContain('application/vnd.oasis.opendocument.text');
  });

  it('accepts allowed files by extension and agreeing type, declaring the canonical type', () => {
    expect(checkFile(file('informe.PDF', 'application/pdf'), DEFAULT_POLICY)).toEqual({ ok: true, mimetype: 'application/pdf', image: false });
    expect(checkFile(file('foto.jpg', 'image/jpeg'), DEFAULT_POLICY)).toEqual({ ok: true, mimetype: 'image/jpeg', image: true });
    // Browsers report no type, or a generic one, for some Office files.
    expect(checkFile(file('planilla.xls', ''), DEFAULT_POLICY)).toMatchObject({ ok: true, mimetype: 'application/vnd.ms-excel' });
    expect(checkFile(file('notas.odt', 'application/octet-stream'), DEFAULT_POLICY)).toMatchObject({ ok: true });
    expect(checkFile(file('viejo.xls', 'application/x-msexcel'), DEFAULT_POLICY)).toMatchObject({ ok: true });
  });

  it('refuses other types, disagreeing types, empty and too large files', () => {
    expect(checkFile(file('programa.exe', 'application/x-msdownload'), DEFAULT_POLICY)).toEqual({ ok: false, reason: 'type' });
    expect(checkFile(file('dibujo.svg', 'image/svg+xml'), DEFAULT_POLICY)).toEqual({ ok: false, reason: 'type' });
    expect(checkFile(file('sin-extension', 'application/pdf'), DEFAULT_POLICY)).toEqual({ ok: false, reason: 'type' });
    expect(checkFile(file('falso.pdf', 'text/html'), DEFAULT_POLICY)).toEqual({ ok: false, reason: 'type' });
    expect(checkFile(file('vacio.pdf', 'application/pdf', 0), DEFAULT_POLICY)).toEqual({ ok: false, reason: 'empty' });
    expect(checkFile(file('grande.pdf', 'application/pdf', DEFAULT_MAX_BYTES + 1), DEFAULT_POLICY)).toEqual({ ok: false, reason: 'size' });
    expect(checkFile(file('justo.pdf', 'application/pdf', DEFAULT_MAX_BYTES), DEFAULT_POLICY)).toMatchObject({ ok: true });
  });

  it('follows the policy the appservice announces', () => {
    const onlyPdf: ClientPolicy = { maxBytes: 1024, kinds: [{ kind: 'pdf', mime: 'application/pdf', extensions: ['pdf'], image: false }] };
    expect(checkFile(file('foto.png', 'image/png', 10), onlyPdf)).toEqual({ ok: false, reason: 'type' });
    expect(checkFile(file('a.pdf', 'application/pdf', 2048), onlyPdf)).toEqual({ ok: false, reason: 'size' });
    expect(acceptAttribute(onlyPdf)).toBe('.pdf,application/pdf');
  });

  it('reads extensions as the appservice does (trailing dots and spaces ignored)', () => {
    expect(extensionOf('informe.final.DOCX')).toBe('docx');
    expect(extensionOf('informe.exe. ')).toBe('exe');
    expect(extensionOf('.pdf')).toBe('');
  });
});

describe('authenticated media URLs', () => {
  it('builds v1 download and thumbnail URLs from an mxc URI, and refuses anything else', () => {
    const mxc = parseMxc('mxc://chattigo.test/AbC_12-x');
    expect(mxc).toEqual({ serverName: 'chattigo.test', mediaId: 'AbC_12-x' });
    if (!mxc) return;
    expect(downloadUrl('http://hs', mxc)).toBe('http://hs/_matrix/client/v1/media/download/chattigo.test/AbC_12-x');
    expect(thumbnailUrl('http://hs', mxc, 320, 240)).toBe(
      'http://hs/_matrix/client/v1/media/thumbnail/chattigo.test/AbC_12-x?width=320&height=240&method=scale',
    );
    expect(parseMxc('https://evil.example/x')).toBeNull();
    expect(parseMxc('mxc://server/../../admin')).toBeNull();
  });
});
