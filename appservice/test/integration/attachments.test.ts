import { randomBytes } from 'node:crypto';
import { createClient, Direction, MatrixError, MsgType, type MatrixClient } from 'matrix-js-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkLogger } from '../../src/matrix/sdk-logger.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { startTestAppservice, waitUntilProcessed, type TestAppservice } from '../helpers/appservice.ts';
import { pdf, png } from '../helpers/samples/index.ts';
import { waitFor } from '../helpers/wait.ts';

interface Agent {
  userId: string;
  token: string;
  client: MatrixClient;
}

interface SentFile {
  eventId: string;
  mxc: string;
  sentAt: number;
}

describe('attachments against a real Synapse', () => {
  let as: TestAppservice;
  let a: Agent;
  let b: Agent;
  let roomId: string;

  beforeAll(async () => {
    as = await startTestAppservice();
    const { gateway } = as.running.app;
    const agent = async (name: string): Promise<Agent> => {
      const { userId, accessToken } = await gateway.registerUser(`${as.config.matrix.userPrefix}${name}_${Date.now()}`, { login: true });
      if (!accessToken) throw new Error('no access token');
      const logger = sdkLogger(createLogger('silent'));
      return { userId, token: accessToken, client: createClient({ baseUrl: as.stack.homeserverUrl, accessToken, userId, logger }) };
    };
    [a, b] = [await agent('adjunta'), await agent('recibe')];
    // Bot 100, agents 0. In room version 12 (Synapse's default) the creator's power is implicit
    // and above any level: Synapse refuses a `users` map that names the creator.
    const created = await gateway.intent().createRoom({
      name: 'adjuntos',
      invite: [a.userId, b.userId],
      power_level_content_override: { users: { [a.userId]: 0, [b.userId]: 0 }, redact: 50, events_default: 0 },
    });
    roomId = created.room_id;
    await a.client.joinRoom(roomId);
    await b.client.joinRoom(roomId);
  });
  afterAll(async () => {
    await as?.stop();
  });

  /** Uploads and sends a file the way any Matrix client does, with nothing from Chattigo involved. */
  async function send(
    from: Agent,
    bytes: Buffer,
    declared: { name: string; mimetype: string; msgtype?: string; extra?: Record<string, unknown> },
  ): Promise<SentFile> {
    const upload = await fetch(`${as.stack.homeserverUrl}/_matrix/media/v3/upload?filename=${encodeURIComponent(declared.name)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${from.token}`, 'content-type': declared.mimetype },
      body: bytes,
    });
    expect(upload.status).toBe(200);
    const { content_uri: mxc } = (await upload.json()) as { content_uri: string };
    const sentAt = Date.now();
    const txn = `t${Date.now()}${randomBytes(4).toString('hex')}`;
    const response = await fetch(
      `${as.stack.homeserverUrl}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.message/${txn}`,
      {
        method: 'PUT',
        headers: { authorization: `Bearer ${from.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          msgtype: declared.msgtype ?? 'm.file',
          body: declared.name,
          url: mxc,
          info: { mimetype: declared.mimetype, size: bytes.length },
          ...declared.extra,
        }),
      },
    );
    expect(response.status).toBe(200);
    const { event_id: eventId } = (await response.json()) as { event_id: string };
    return { eventId, mxc, sentAt };
  }

  /** Authenticated media download as `agent`: the bytes, or the error status and code. */
  async function download(agent: Agent, mxc: string): Promise<{ status: number; bytes?: Buffer; errcode?: string }> {
    const url = agent.client.mxcUrlToHttp(mxc, undefined, undefined, undefined, false, true, true);
    if (!url) throw new Error(`not an mxc URL: ${mxc}`);
    const response = await fetch(url, { headers: { authorization: `Bearer ${agent.token}` } });
    if (response.ok) return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()) };
    const body = (await response.json().catch(() => ({}))) as { errcode?: string };
    return { status: response.status, errcode: body.errcode };
  }

  const processed = (eventId: string) => waitUntilProcessed(as, eventId);

  const isRedacted = async (eventId: string) => (await b.client.fetchRoomEvent(roomId, eventId)).unsigned?.redacted_because !== undefined;

  /** Milliseconds from sending until the other agent sees the event redacted. */
  async function redactionDelay(file: SentFile, timeoutMs = 10_000): Promise<number> {
    await waitFor(() => isRedacted(file.eventId), `event ${file.eventId} to be redacted`, timeoutMs);
    return Date.now() - file.sentAt;
  }

  async function noticesFor(sender: string): Promise<string[]> {
    const { chunk } = await b.client.createMessagesRequest(roomId, null, 50, Direction.Backward);
    return chunk
      .filter((e) => e.sender === as.running.app.gateway.botUserId && e.content?.['msgtype'] === 'm.notice')
      .filter((e) => (e.content?.['m.mentions'] as { user_ids?: string[] } | undefined)?.user_ids?.includes(sender))
      .map((e) => String(e.content?.['body']));
  }

  const metric = async (labels: string) =>
    (await as.running.app.metrics.registry.getSingleMetricAsString('chattigo_attachments_checked_total'))
      .split('\n')
      .find((line) => line.includes(labels));

  it('keeps an allowed PDF and PNG, and the other agent downloads the same bytes', async () => {
    const document = pdf(`Informe ${Date.now()}`);
    const image = png(16, 12);
    const sentPdf = await send(a, document, { name: 'informe.pdf', mimetype: 'application/pdf' });
    const sentPng = await send(a, image, { name: 'captura.png', mimetype: 'image/png', msgtype: 'm.image' });
    await processed(sentPdf.eventId);
    await processed(sentPng.eventId);

    expect(await isRedacted(sentPdf.eventId)).toBe(false);
    expect(await isRedacted(sentPng.eventId)).toBe(false);
    expect(await download(b, sentPdf.mxc)).toEqual({ status: 200, bytes: document });
    expect(await download(b, sentPng.mxc)).toEqual({ status: 200, bytes: image });
    expect(await metric('outcome="accepted",kind="pdf"')).toMatch(/ 1$/);
    expect(await metric('outcome="accepted",kind="png"')).toMatch(/ 1$/);
  });

  it('redacts a PDF sent as an image within 2 s, tells the sender and makes its media undownloadable', async () => {
    // Executables never get this far (Synapse refuses them at upload, upload-policy.test.ts); what
    // an upload cannot judge is what the sender declares when sending.
    const document = pdf(`Factura ${Date.now()}`);
    const sent = await send(a, document, { name: 'factura.png', mimetype: 'image/png', msgtype: 'm.image' });
    const ms = await redactionDelay(sent);
    process.stdout.write(`attachments: a PDF sent as an image redacted ${ms} ms after it was sent\n`);
    expect(ms).toBeLessThan(2000);

    await waitFor(async () => (await noticesFor(a.userId)).some((n) => n.includes('«factura.png»')), 'the notice to the sender');
    const [notice] = (await noticesFor(a.userId)).filter((n) => n.includes('«factura.png»'));
    // Written for the sender (no language in the directory: Spanish), by name, in one language.
    expect(notice).toContain('se eliminó el archivo «factura.png» porque se envió como imagen pero es un archivo PDF');
    expect(notice).not.toContain('was removed');
    expect(notice).not.toContain(a.userId);

    expect(await download(b, sent.mxc)).toMatchObject({ status: 404, errcode: 'M_NOT_FOUND' });
    expect(await download(a, sent.mxc)).toMatchObject({ status: 404, errcode: 'M_NOT_FOUND' });
    const redaction = (await b.client.fetchRoomEvent(roomId, sent.eventId)).unsigned?.redacted_because;
    expect(redaction?.sender).toBe(as.running.app.gateway.botUserId);
    expect(redaction?.content?.['reason']).toContain('se envió como imagen');
    expect(await metric('outcome="rejected",kind="pdf",reason="not-an-image"')).toMatch(/ 1$/);
  });

  // Finding 1 of issue 12: a refused event withdrew every file it named, whoever had uploaded it.
  it('does not withdraw a colleague’s file named by someone else’s refused event', async () => {
    const theirs = pdf(`Contrato de B ${Date.now()}`);
    const original = await send(b, theirs, { name: 'contrato.pdf', mimetype: 'application/pdf' });
    await processed(original.eventId);
    expect(await isRedacted(original.eventId)).toBe(false);

    for (const msgtype of ['m.video', 'm.image']) {
      const txn = `t${Date.now()}${randomBytes(4).toString('hex')}`;
      const response = await fetch(
        `${as.stack.homeserverUrl}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.message/${txn}`,
        {
          method: 'PUT',
          headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ msgtype, body: 'robado.mp4', url: original.mxc }),
        },
      );
      const { event_id: hostile } = (await response.json()) as { event_id: string };
      await waitFor(() => isRedacted(hostile), `the hostile ${msgtype} to be redacted`);
      await processed(hostile);
    }
    expect(await download(b, original.mxc)).toEqual({ status: 200, bytes: theirs });
    expect(await download(a, original.mxc)).toEqual({ status: 200, bytes: theirs });
    expect(await isRedacted(original.eventId)).toBe(false);
  });

  // Finding 3 of issue 12: the declared MIME type went unescaped into the notice's HTML.
  it('escapes the declared MIME type and the file name in the notice’s HTML', async () => {
    const mimetype = 'application/<img src=x onerror=alert(1)>';
    const sent = await send(a, png(13, 3), { name: '<b>hola</b>.png', mimetype });
    await redactionDelay(sent);
    let html = '';
    await waitFor(
      async () => {
        const { chunk } = await b.client.createMessagesRequest(roomId, null, 30, Direction.Backward);
        const notice = chunk.find((e) => e.sender === as.running.app.gateway.botUserId && String(e.content?.['body']).includes('hola</b>.png'));
        html = String(notice?.content?.['formatted_body'] ?? '');
        return html !== '';
      },
      'the notice',
    );
    expect(html).not.toMatch(/<img|<b>/i);
    expect(html).toContain('application/&#60;img src=x onerror=alert(1)&#62;');
    expect(html).toContain('«&#60;b&#62;hola&#60;/b&#62;.png»');
    expect(html).toMatch(/^<a href="https:\/\/matrix\.to\/#\//);
  });

  it('refuses a real image sent under a PDF name, then accepts it sent again correctly named', async () => {
    const image = png(5, 7);
    const mislabelled = await send(a, image, { name: 'contrato.pdf', mimetype: 'application/pdf' });
    await redactionDelay(mislabelled);
    await waitFor(async () => (await noticesFor(a.userId)).some((n) => n.includes('dice ser application/pdf pero su contenido es PNG')), 'the notice');
    expect(await download(b, mislabelled.mxc)).toMatchObject({ status: 404 });

    // The media was deleted rather than quarantined, so the same bytes can be sent again.
    const corrected = await send(a, image, { name: 'contrato.png', mimetype: 'image/png', msgtype: 'm.image' });
    await processed(corrected.eventId);
    expect(await isRedacted(corrected.eventId)).toBe(false);
    expect(await download(b, corrected.mxc)).toEqual({ status: 200, bytes: image });
  });

  it('refuses what it cannot inspect or never allows: an encrypted file, a video, a PDF named .docx', async () => {
    const encrypted = await send(a, pdf(`Cifrado ${Date.now()}`), {
      name: 'secreto.pdf',
      mimetype: 'application/pdf',
      extra: { url: undefined, file: { v: 'v2', url: 'mxc://chattigo.test/placeholder', key: {}, iv: 'x', hashes: {} } },
    });
    // Allowed bytes: Synapse refuses anything else at upload (a video file, a plain ZIP).
    const video = await send(a, png(31, 17), { name: 'clip.mp4', mimetype: 'video/mp4', msgtype: 'm.video' });
    const archive = await send(a, pdf(`No es Word ${Date.now()}`), {
      name: 'informe.docx',
      mimetype: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    });
    for (const file of [encrypted, video, archive]) await redactionDelay(file);
    // The media goes after the redaction (the event first disappears from every client, then its
    // file): wait for the notice, sent once both are done.
    for (const name of ['clip.mp4', 'informe.docx']) {
      await waitFor(async () => (await noticesFor(a.userId)).some((n) => n.includes(`«${name}»`)), `the notice about ${name}`);
    }
    expect(await download(b, video.mxc)).toMatchObject({ status: 404 });
    expect(await download(b, archive.mxc)).toMatchObject({ status: 404 });
  });

  it('leaves the bot’s own files alone', async () => {
    const bot = as.running.app.gateway.intent();
    const { content_uri: mxc } = await bot.uploadContent(pdf(`Del bot ${Date.now()}`), { name: 'x.bin', type: 'application/octet-stream' });
    const { event_id: eventId } = await bot.sendMessage(roomId, { msgtype: MsgType.File, body: 'x.bin', url: mxc });
    await processed(eventId);
    expect(await isRedacted(eventId)).toBe(false);
  });

  it('lets Synapse refuse an upload larger than its configured limit with 413', async () => {
    const limit = (await a.client.getMediaConfig(true))['m.upload.size'];
    if (limit === undefined || limit >= 200 * 64 * 1024) {
      throw new Error(`Synapse's upload limit (${limit}) must be under 12.5 MiB for it to answer 413 (see global-setup.ts)`);
    }
    const upload = (size: number) =>
      fetch(`${as.stack.homeserverUrl}/_matrix/media/v3/upload`, {
        method: 'POST',
        headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/pdf' },
        body: Buffer.alloc(size, 0x20),
      });
    const tooLarge = await upload(limit + 1);
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toMatchObject({ errcode: 'M_TOO_LARGE' });
    await expect(a.client.uploadContent(Buffer.alloc(limit + 1), { type: 'application/pdf' })).rejects.toSatisfy(
      (err: unknown) => err instanceof MatrixError && err.httpStatus === 413 && err.errcode === 'M_TOO_LARGE',
    );
    // At the limit, allowed bytes (a PDF padded with spaces) are accepted.
    const header = Buffer.from('%PDF-1.4\n');
    const fits = await fetch(`${as.stack.homeserverUrl}/_matrix/media/v3/upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/pdf' },
      body: Buffer.concat([header, Buffer.alloc(limit - header.length, 0x20)]),
    });
    expect(fits.status).toBe(200);
  });
});
