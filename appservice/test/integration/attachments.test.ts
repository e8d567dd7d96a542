import { randomBytes } from 'node:crypto';
import { createClient, Direction, MatrixError, MsgType, type MatrixClient } from 'matrix-js-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkLogger } from '../../src/matrix/sdk-logger.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { startTestAppservice, type TestAppservice } from '../helpers/appservice.ts';
import { elf, pdf, png, randomZip } from '../helpers/samples/index.ts';
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

  async function processed(eventId: string): Promise<void> {
    await waitFor(async () => {
      const [row] = await as.running.db.query<{ done: boolean }>(
        'SELECT processed_at IS NOT NULL AS done FROM appservice_events WHERE event_id = $1',
        [eventId],
      );
      return row?.done === true;
    }, `event ${eventId} to be processed`);
  }

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

  it('redacts an executable renamed .pdf within 2 s, tells the sender and makes its media undownloadable', async () => {
    // Distinct bytes each run: Synapse quarantines any new upload whose hash was quarantined before.
    const executable = Buffer.concat([elf(), randomBytes(32)]);
    const sent = await send(a, executable, { name: 'factura.pdf', mimetype: 'application/pdf' });
    const ms = await redactionDelay(sent);
    process.stdout.write(`attachments: executable renamed .pdf redacted ${ms} ms after it was sent\n`);
    expect(ms).toBeLessThan(2000);

    await waitFor(async () => (await noticesFor(a.userId)).some((n) => n.includes('«factura.pdf»')), 'the notice to the sender');
    const [notice] = (await noticesFor(a.userId)).filter((n) => n.includes('«factura.pdf»'));
    const [es, en] = notice?.split('\n') ?? [];
    expect(es).toContain('se eliminó el archivo «factura.pdf» porque su contenido es un programa ejecutable');
    expect(en).toContain('the file “factura.pdf” was removed because its content is an executable program');

    expect(await download(b, sent.mxc)).toMatchObject({ status: 404, errcode: 'M_NOT_FOUND' });
    expect(await download(a, sent.mxc)).toMatchObject({ status: 404, errcode: 'M_NOT_FOUND' });
    const redaction = (await b.client.fetchRoomEvent(roomId, sent.eventId)).unsigned?.redacted_because;
    expect(redaction?.sender).toBe(as.running.app.gateway.botUserId);
    expect(redaction?.content?.['reason']).toContain('programa ejecutable');
    expect(await metric('outcome="rejected",kind="executable",reason="unrecognized"')).toMatch(/ 1$/);
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

  it('refuses what it cannot inspect or never allows: an encrypted file, a video, a ZIP named .docx', async () => {
    const encrypted = await send(a, randomBytes(300), {
      name: 'secreto.pdf',
      mimetype: 'application/pdf',
      extra: { url: undefined, file: { v: 'v2', url: 'mxc://chattigo.test/placeholder', key: {}, iv: 'x', hashes: {} } },
    });
    const video = await send(a, randomBytes(300), { name: 'clip.mp4', mimetype: 'video/mp4', msgtype: 'm.video' });
    const archive = await send(a, randomZip(), { name: 'informe.docx', mimetype: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
    for (const file of [encrypted, video, archive]) await redactionDelay(file);
    expect(await download(b, video.mxc)).toMatchObject({ status: 404 });
    expect(await download(b, archive.mxc)).toMatchObject({ status: 404 });
  });

  it('leaves the bot’s own files alone', async () => {
    const bot = as.running.app.gateway.intent();
    const { content_uri: mxc } = await bot.uploadContent(Buffer.concat([elf(), randomBytes(8)]), { name: 'x.bin', type: 'application/octet-stream' });
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
    expect((await upload(limit)).status).toBe(200);
  });
});
