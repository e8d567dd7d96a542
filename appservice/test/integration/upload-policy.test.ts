import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestAppservice, type TestAppservice } from '../helpers/appservice.ts';
import { docx, elf, html, pdf, png, randomZip } from '../helpers/samples/index.ts';

/**
 * Uploads judged by Synapse's chattigo_policy module, which asks the appservice's file policy: a
 * refused file never reaches the media store, whatever client uploads it (issue 12).
 */
describe('files refused at upload by Synapse', () => {
  let as: TestAppservice | undefined;
  let homeserverUrl: string;
  let token: string;

  beforeAll(async () => {
    as = await startTestAppservice();
    homeserverUrl = as.stack.homeserverUrl;
    const { gateway } = as.running.app;
    const { accessToken } = await gateway.registerUser(`${as.config.matrix.userPrefix}sube_${Date.now()}`, { login: true });
    if (!accessToken) throw new Error('no access token');
    token = accessToken;
  });
  afterAll(async () => {
    await as?.stop();
  });

  /** The plain client-server upload any Matrix client makes. */
  async function upload(bytes: Buffer, name: string, type: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${homeserverUrl}/_matrix/media/v3/upload?filename=${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': type },
      body: bytes,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function download(mxc: string): Promise<{ status: number; bytes?: Buffer }> {
    const [, server, mediaId] = /^mxc:\/\/([^/]+)\/(.+)$/.exec(mxc) ?? [];
    const response = await fetch(`${homeserverUrl}/_matrix/client/v1/media/download/${server}/${mediaId}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return response.ok ? { status: 200, bytes: Buffer.from(await response.arrayBuffer()) } : { status: response.status };
  }

  it('refuses an executable renamed .pdf with 403 and a message saying what is allowed', async () => {
    const refused = await upload(Buffer.concat([elf(), randomBytes(16)]), 'factura.pdf', 'application/pdf');
    expect(refused.status).toBe(403);
    expect(refused.body['errcode']).toBe('M_FORBIDDEN');
    const error = String(refused.body['error']);
    expect(error).toContain('Archivo no permitido: su contenido es un programa ejecutable');
    expect(error).toContain('Se permiten imágenes (PNG, JPEG, GIF, WebP), PDF y documentos de Office (docx, xlsx, pptx');
    expect(error).toContain('File not allowed: its content is an executable program. Allowed: images (PNG, JPEG, GIF, WebP), PDF and Office documents');
    expect(await as?.running.app.metrics.registry.getSingleMetricAsString('chattigo_uploads_checked_total')).toContain(
      'outcome="refused",kind="executable"',
    );
  });

  it('refuses archives and HTML however they are named, and through the asynchronous upload too', async () => {
    for (const [bytes, name, type] of [
      [randomZip(), 'informe.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      [html(), 'foto.png', 'image/png'],
    ] as const) {
      const refused = await upload(bytes, name, type);
      expect(refused.status, name).toBe(403);
      expect(String(refused.body['error'])).toContain('Archivo no permitido');
    }
    const created = await fetch(`${homeserverUrl}/_matrix/media/v1/create`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    const { content_uri: mxc } = (await created.json()) as { content_uri: string };
    const [, server, mediaId] = /^mxc:\/\/([^/]+)\/(.+)$/.exec(mxc) ?? [];
    const put = await fetch(`${homeserverUrl}/_matrix/media/v3/upload/${server}/${mediaId}?filename=x.pdf`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/pdf' },
      body: Buffer.concat([elf(), randomBytes(16)]),
    });
    expect(put.status).toBe(403);
    expect(((await put.json()) as { error: string }).error).toContain('programa ejecutable');
  });

  it('accepts allowed files (PDF, PNG, Word) and serves the same bytes', async () => {
    for (const [bytes, name, type] of [
      [pdf(`Informe ${Date.now()}`), 'informe.pdf', 'application/pdf'],
      [png(9, 9), 'captura.png', 'image/png'],
      [docx(), 'carta.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ] as const) {
      const accepted = await upload(bytes, name, type);
      expect(accepted.status, name).toBe(200);
      expect(await download(String(accepted.body['content_uri']))).toEqual({ status: 200, bytes });
    }
  });

  it('fails closed: with the appservice unreachable, an upload is refused and not stored', async () => {
    await as?.stop();
    as = undefined;
    const refused = await upload(pdf(`Sin revisar ${Date.now()}`), 'informe.pdf', 'application/pdf');
    expect(refused.status).toBe(503);
    expect(String(refused.body['error'])).toContain('No se pudo revisar el archivo');
    expect(refused.body['content_uri']).toBeUndefined();
    // Stopping waits for the appservice's work in flight: once it took over a minute on a loaded machine.
  }, 150_000);
});
