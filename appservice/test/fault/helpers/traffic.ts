import { png } from '../../helpers/samples/index.ts';
import { sendRaw, sendText, upload, type Agent } from './matrix.ts';
import { sleep } from './time.ts';

/** A managed chat and its two agents. */
export interface ChatRoom {
  roomId: string;
  agents: readonly [Agent, Agent];
}

export interface Traffic {
  /** Stops sending and resolves to how many sends were accepted and how many failed. */
  stop(): Promise<{ sent: number; failed: number }>;
}

/** One allowed PNG uploaded by each agent: what the refused "videos" point at. */
export async function uploadImages(hs: string, agents: readonly Agent[]): Promise<Map<string, string>> {
  const mxc = new Map<string, string>();
  for (const agent of agents) mxc.set(agent.userId, await upload(hs, agent, png(), 'image/png'));
  return mxc;
}

/**
 * A refused file: an allowed image sent as `m.video`, so the policy refuses it by message type
 * (not by its bytes) and the event must be redacted.
 */
export function sendRefusedFile(hs: string, agent: Agent, roomId: string, mxc: string): Promise<string | undefined> {
  const content = { msgtype: 'm.video', body: 'video.mp4', url: mxc, info: { mimetype: 'video/mp4', size: 100 } };
  return sendRaw(hs, agent.token, roomId, JSON.stringify(content));
}

/**
 * Sends, round-robin over `rooms` and their agents, one `!tipificaciones` every `everyMs` and a
 * refused file every `fileEvery`-th tick, until stopped or `maxMs` passed. A send that Synapse does
 * not accept (it is down) is counted as failed and not retried: the checks count what reached a room.
 */
export function startTraffic(
  hs: string,
  rooms: readonly ChatRoom[],
  images: ReadonlyMap<string, string>,
  options: { everyMs?: number; fileEvery?: number; maxMs?: number } = {},
): Traffic {
  const everyMs = options.everyMs ?? 300;
  const fileEvery = options.fileEvery ?? 4;
  const deadline = Date.now() + (options.maxMs ?? 180_000);
  let stopped = false;
  let sent = 0;
  let failed = 0;
  const loop = (async () => {
    for (let tick = 0; !stopped && Date.now() < deadline && rooms.length > 0; tick++) {
      const room = rooms[tick % rooms.length];
      if (!room) break;
      const agent = room.agents[Math.floor(tick / rooms.length) % 2] ?? room.agents[0];
      const mxc = images.get(agent.userId);
      const id =
        tick % fileEvery === fileEvery - 1 && mxc
          ? await sendRefusedFile(hs, agent, room.roomId, mxc)
          : await sendText(hs, agent, room.roomId, '!tipificaciones');
      if (id) sent++;
      else failed++;
      await sleep(everyMs);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return { sent, failed };
    },
  };
}

/** `n` commands and `n` refused files at once, spread over the rooms: work in flight when a fault hits. */
export async function burst(hs: string, rooms: readonly ChatRoom[], images: ReadonlyMap<string, string>, n: number): Promise<number> {
  const sends: Promise<string | undefined>[] = [];
  for (let i = 0; i < n; i++) {
    const room = rooms[i % rooms.length];
    if (!room) break;
    const agent = room.agents[i % 2] ?? room.agents[0];
    sends.push(sendText(hs, agent, room.roomId, '!tipificaciones'));
    const mxc = images.get(agent.userId);
    if (mxc) sends.push(sendRefusedFile(hs, agent, room.roomId, mxc));
  }
  return (await Promise.all(sends)).filter(Boolean).length;
}
