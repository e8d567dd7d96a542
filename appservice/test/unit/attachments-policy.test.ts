import { describe, expect, it } from 'vitest';
import { attachmentsOf, mediaUrlsOf } from '../../src/features/attachments/content.ts';
import { ATTACHMENT_KINDS } from '@chattigo/contracts/attachment-kinds';
import { explain, redactionReason, rejectionNotice } from '../../src/features/attachments/messages.ts';
import { extensionOf, judge, judgeThumbnail, type AttachmentPolicy, type Declared, type Rejection } from '../../src/features/attachments/policy.ts';
import { detect } from '../../src/features/attachments/sniff.ts';
import { render } from '../../src/i18n/index.ts';
import type { RoomEvent } from '../../src/matrix/events.ts';
import { docx, elf, pdf, png, randomZip, samples } from '../helpers/samples/index.ts';

const policy: AttachmentPolicy = { allowedKinds: [...ATTACHMENT_KINDS], maxSizeBytes: 25 * 1024 * 1024 };
const file = (name: string | undefined, mimetype?: string, msgtype: Declared['msgtype'] = 'm.file'): Declared => ({ msgtype, mimetype, name });
const reasonOf = (verdict: ReturnType<typeof judge>) => (verdict.accepted ? 'accepted' : verdict.rejection.reason);

describe('the attachment policy', () => {
  it('accepts each allowed kind with its own MIME type and extension', async () => {
    const names = { png: 'a.png', jpeg: 'a.JPG', gif: 'a.gif', webp: 'a.webp', pdf: 'a.pdf', docx: 'a.docx', xlsx: 'a.xlsx', pptx: 'a.pptx', odt: 'a.odt', ods: 'a.ods', odp: 'a.odp', doc: 'a.doc', xls: 'a.xls', ppt: 'a.ppt' } as const;
    for (const kind of ATTACHMENT_KINDS) {
      const detection = await detect(samples[kind]());
      expect(judge(detection, file(names[kind], detection.recognized ? detection.mime : undefined), policy), kind).toEqual({ accepted: true, kind });
    }
  });

  it('accepts known aliases, MIME parameters, no MIME type, octet-stream and names without an extension', async () => {
    const jpeg = await detect(samples.jpeg());
    expect(reasonOf(judge(jpeg, file('foto.jpeg', 'image/jpg'), policy))).toBe('accepted');
    expect(reasonOf(judge(await detect(pdf()), file('informe.pdf', 'Application/PDF; charset=binary'), policy))).toBe('accepted');
    expect(reasonOf(judge(await detect(pdf()), file('informe', undefined), policy))).toBe('accepted');
    expect(reasonOf(judge(await detect(pdf()), file('informe final v2.0', 'application/octet-stream'), policy))).toBe('accepted');
    expect(reasonOf(judge(await detect(png()), file(undefined, 'image/png', 'm.sticker'), policy))).toBe('accepted');
  });

  it('refuses what is not an allowed kind, saying what it looked like', async () => {
    expect(judge(await detect(elf()), file('informe.pdf', 'application/pdf'), policy)).toEqual({
      accepted: false,
      rejection: { reason: 'unrecognized', what: 'executable' },
    });
    expect(judge(await detect(randomZip()), file('informe.docx'), policy)).toEqual({ accepted: false, rejection: { reason: 'unrecognized', what: 'archive' } });
    const onlyImages: AttachmentPolicy = { ...policy, allowedKinds: ['png', 'jpeg'] };
    expect(judge(await detect(pdf()), file('a.pdf', 'application/pdf'), onlyImages)).toEqual({ accepted: false, rejection: { reason: 'kind-not-allowed', kind: 'pdf' } });
  });

  it('refuses a declared MIME type that names another type', async () => {
    expect(judge(await detect(docx()), file('a.docx', 'application/pdf'), policy)).toEqual({
      accepted: false,
      rejection: { reason: 'mime-mismatch', declared: 'application/pdf', kind: 'docx' },
    });
    expect(reasonOf(judge(await detect(png()), file('a.png', 'image/jpeg'), policy))).toBe('mime-mismatch');
  });

  it('refuses a name whose extension does not fit the real kind', async () => {
    expect(judge(await detect(pdf()), file('factura.exe'), policy)).toEqual({
      accepted: false,
      rejection: { reason: 'extension-mismatch', extension: 'exe', kind: 'pdf' },
    });
    expect(reasonOf(judge(await detect(pdf()), file('factura.pdf.exe.'), policy))).toBe('extension-mismatch');
    expect(reasonOf(judge(await detect(png()), file('foto.html', 'image/png', 'm.image'), policy))).toBe('extension-mismatch');
  });

  it('refuses a file sent as an image that is not one', async () => {
    expect(judge(await detect(pdf()), file('a.pdf', 'application/pdf', 'm.image'), policy)).toEqual({
      accepted: false,
      rejection: { reason: 'not-an-image', kind: 'pdf' },
    });
    expect(reasonOf(judge(await detect(pdf()), file(undefined, undefined, 'm.sticker'), policy))).toBe('not-an-image');
  });

  it('only takes allowed images as thumbnails', async () => {
    expect(judgeThumbnail(await detect(png()), policy).accepted).toBe(true);
    expect(judgeThumbnail(await detect(pdf()), policy).accepted).toBe(false);
    expect(judgeThumbnail(await detect(png()), { ...policy, allowedKinds: ['jpeg'] }).accepted).toBe(false);
  });

  it('finds the extension of a file name the way a desktop would', () => {
    expect(extensionOf('Informe.PDF')).toBe('pdf');
    expect(extensionOf('C:\\tmp\\virus.exe')).toBe('exe');
    expect(extensionOf('virus.exe . ')).toBe('exe');
    expect(extensionOf('archivo.tar.gz')).toBe('gz');
    expect(extensionOf('sin extensión')).toBeUndefined();
    expect(extensionOf('versión 2.0')).toBeUndefined();
    expect(extensionOf('.bashrc')).toBe('bashrc');
    expect(extensionOf('')).toBeUndefined();
  });
});

describe('telling the sender why', () => {
  const rejections: Rejection[] = [
    { reason: 'encrypted' },
    { reason: 'no-media' },
    { reason: 'unverifiable' },
    { reason: 'too-large', limitBytes: 25 * 1024 * 1024 },
    { reason: 'msgtype', msgtype: 'm.video' },
    { reason: 'unrecognized', what: 'executable' },
    { reason: 'kind-not-allowed', kind: 'doc' },
    { reason: 'not-an-image', kind: 'pdf' },
    { reason: 'mime-mismatch', declared: 'application/pdf', kind: 'docx' },
    { reason: 'extension-mismatch', extension: 'exe', kind: 'pdf' },
    { reason: 'thumbnail' },
  ];

  it('explains every reason in Spanish and English', () => {
    for (const rejection of rejections) {
      const es = render('es', explain(rejection));
      const en = render('en', explain(rejection));
      expect(es.length, rejection.reason).toBeGreaterThan(10);
      expect(en.length, rejection.reason).toBeGreaterThan(10);
      expect(es).not.toBe(en);
    }
    expect(render('es', explain({ reason: 'too-large', limitBytes: 25 * 1024 * 1024 }))).toContain('25 MB');
  });

  it('writes the notice to the sender by name, in their language only, with a pill and a mention', () => {
    const ana = { userId: '@chattigo_ana:x', name: 'Ana Pérez', lang: 'es' as const };
    const notice = rejectionNotice(ana, 'factura.pdf', { reason: 'unrecognized', what: 'executable' }, policy);
    expect(notice.body).toBe(
      'Ana Pérez: se eliminó el archivo «factura.pdf» porque su contenido es un programa ejecutable. ' +
        'Archivos permitidos: png, jpg, gif, webp, pdf, docx, xlsx, pptx, odt, ods, odp, doc, xls, ppt.',
    );
    expect(notice.body).not.toContain('@chattigo_ana');
    expect(notice.mentions).toEqual(['@chattigo_ana:x']);
    expect(notice.html).toMatch(/^<a href="https:\/\/matrix.to\/#\/%40chattigo_ana%3Ax">Ana Pérez<\/a>: se eliminó/);
    // The web client shows the text of its own language.
    expect(notice.meta).toMatchObject({ kind: 'attachment.removed', recipients: ['@chattigo_ana:x'] });
    expect(notice.meta?.texts.en).toMatch(/^Ana Pérez: the file “factura.pdf” was removed because its content is an executable program\./);
    const inEnglish = rejectionNotice({ ...ana, lang: 'en' }, 'factura.pdf', { reason: 'unrecognized', what: 'executable' }, policy);
    expect(inEnglish.body).toMatch(/^Ana Pérez: the file “factura.pdf” was removed/);
    expect(inEnglish.body).not.toMatch(/se eliminó/);
  });

  it('escapes and shortens the file name and the sender name in the notice', () => {
    const sender = { userId: '@a:x', name: '<b>Ana</b>', lang: 'es' as const };
    const notice = rejectionNotice(sender, `<img src=x onerror=alert(1)>${'a'.repeat(200)}.exe`, { reason: 'unrecognized', what: 'unknown' }, policy);
    expect(notice.html).not.toContain('<img');
    expect(notice.html).not.toContain('<b>');
    expect(notice.body).toContain('…');
    expect(redactionReason('es', { reason: 'encrypted' })).toBe('Archivo no permitido: los archivos cifrados no se pueden revisar.');
    expect(redactionReason('en', { reason: 'encrypted' })).toBe('File not allowed: encrypted files cannot be checked.');
  });
});

describe('finding the files an event carries', () => {
  const event = (content: Record<string, unknown>, type = 'm.room.message'): RoomEvent => ({
    event_id: '$e',
    room_id: '!r:x',
    type,
    sender: '@chattigo_ana:x',
    origin_server_ts: 0,
    content,
  });

  it('reads file messages, images with a caption, stickers and edits', () => {
    expect(attachmentsOf(event({ msgtype: 'm.file', body: 'a.pdf', url: 'mxc://x/a', info: { mimetype: 'application/pdf' } }))).toEqual([
      expect.objectContaining({ msgtype: 'm.file', name: 'a.pdf', mimetype: 'application/pdf', url: 'mxc://x/a', malformed: false }),
    ]);
    expect(attachmentsOf(event({ msgtype: 'm.image', body: 'mira esto', filename: 'foto.png', url: 'mxc://x/b' }))[0]?.name).toBe('foto.png');
    expect(attachmentsOf(event({ body: 'un gato', url: 'mxc://x/c' }, 'm.sticker'))[0]).toMatchObject({ msgtype: 'm.sticker', name: undefined });
    const edit = attachmentsOf(
      event({ msgtype: 'm.text', body: '* x', 'm.new_content': { msgtype: 'm.file', body: 'b.pdf', url: 'mxc://x/d' }, 'm.relates_to': { rel_type: 'm.replace', event_id: '$o' } }),
    );
    expect(edit).toEqual([expect.objectContaining({ msgtype: 'm.file', url: 'mxc://x/d' })]);
  });

  it('marks encrypted and malformed files, and lists every mxc URL to quarantine', () => {
    const encrypted = attachmentsOf(event({ msgtype: 'm.file', body: 'a.pdf', file: { url: 'mxc://x/enc', key: {} }, info: { thumbnail_url: 'mxc://x/t' } }))[0];
    expect(encrypted).toMatchObject({ encryptedUrl: 'mxc://x/enc', url: undefined });
    expect(encrypted && mediaUrlsOf(encrypted)).toEqual(['mxc://x/enc', 'mxc://x/t']);
    expect(attachmentsOf(event({ msgtype: 'm.file', body: 'a.pdf', url: 42 }))[0]?.malformed).toBe(true);
    const odd = attachmentsOf(event({ msgtype: 'm.image', body: 'a.png', url: 'mxc://x/odd', info: 'no es un objeto' }))[0];
    expect(odd?.malformed).toBe(true);
    expect(odd && mediaUrlsOf(odd)).toEqual(['mxc://x/odd']);
  });

  it('ignores text, state and other events', () => {
    expect(attachmentsOf(event({ msgtype: 'm.text', body: 'hola' }))).toEqual([]);
    expect(attachmentsOf(event({ membership: 'join' }, 'm.room.member'))).toEqual([]);
    expect(attachmentsOf(event({}))).toEqual([]);
  });
});
