import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { elf, pdf, png } from '../helpers/samples/index.ts';
import { buildEmbeddedApp, testSecrets, type EmbeddedApp } from '../helpers/embedded-app.ts';

/** `POST /_chattigo/policy/media`, asked by Synapse's chattigo_policy module for every upload. */
describe('POST /_chattigo/policy/media', () => {
  let t: EmbeddedApp;
  beforeAll(async () => {
    t = await buildEmbeddedApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const check = (payload: Buffer, token: string | null = testSecrets.synapse_auth_secret) =>
    t.app.server.inject({
      method: 'POST',
      url: '/_chattigo/policy/media',
      headers: { 'content-type': 'application/octet-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      payload,
    });

  it('allows the accepted kinds, judged by their bytes', async () => {
    expect((await check(pdf())).json()).toEqual({ allowed: true, kind: 'pdf' });
    expect((await check(png())).json()).toEqual({ allowed: true, kind: 'png' });
  });

  it('refuses an executable and an empty file with what is allowed, in Spanish and English', async () => {
    const refused = (await check(elf())).json();
    expect(refused).toMatchObject({ allowed: false, errcode: 'M_FORBIDDEN', reason: 'unrecognized' });
    expect(refused.error).toBe(
      'Archivo no permitido: su contenido es un programa ejecutable. Se permiten imágenes (PNG, JPEG, GIF, WebP), PDF y ' +
        'documentos de Office (docx, xlsx, pptx, odt, ods, odp, doc, xls, ppt). / File not allowed: its content is an ' +
        'executable program. Allowed: images (PNG, JPEG, GIF, WebP), PDF and Office documents (docx, xlsx, pptx, odt, ' +
        'ods, odp, doc, xls, ppt).',
    );
    expect((await check(Buffer.alloc(0))).json()).toMatchObject({ allowed: false, reason: 'unrecognized' });
  });

  it('answers only Synapse: no token 401, a wrong one 403, before reading the body', async () => {
    expect((await check(pdf(), null)).statusCode).toBe(401);
    expect((await check(pdf(), 'wrong-secret-0123456789')).statusCode).toBe(403);
  });
});
