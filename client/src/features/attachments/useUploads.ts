import { MsgType, type Room } from 'matrix-js-sdk';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';
import { useAgentApi } from '../../api/AgentApiProvider.tsx';
import { queryKeys } from '../../api/queries.ts';
import { formatBytes } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useMatrixClient } from '../../matrix/MatrixProvider.tsx';
import { checkFile, DEFAULT_POLICY, type ClientPolicy } from './policy.ts';

export interface UploadEntry {
  id: number;
  name: string;
  size: number;
  loaded: number;
  status: 'uploading' | 'failed';
  cancel(): void;
}

export interface Rejection {
  id: number;
  message: string;
}

/**
 * The appservice's attachment policy (the default one until it answers, or if it cannot). It is
 * fetched once per session, not at every chat opened: it changes only with the appservice's
 * configuration, and the appservice checks every file again anyway.
 */
export function useAttachmentPolicy(): ClientPolicy {
  const api = useAgentApi();
  const { data } = useQuery({
    queryKey: queryKeys.attachmentPolicy,
    queryFn: async ({ signal }): Promise<ClientPolicy> => {
      const p = await api.attachmentPolicy(signal);
      return { maxBytes: p.maxSizeBytes, kinds: p.kinds };
    },
    staleTime: Infinity,
  });
  return data ?? DEFAULT_POLICY;
}

async function imageSize(file: File): Promise<{ w: number; h: number } | null> {
  try {
    const bitmap = await createImageBitmap(file);
    const size = { w: bitmap.width, h: bitmap.height };
    bitmap.close();
    return size;
  } catch {
    return null;
  }
}

/**
 * Sending files to a room: each file is checked first (type, size), then uploaded with progress
 * (cancellable) and posted as an `m.image` or `m.file` message.
 */
export function useUploads(room: Room) {
  const client = useMatrixClient();
  const { t, lang } = useI18n();
  const policy = useAttachmentPolicy();
  const maxBytes = policy.maxBytes;
  const [uploads, setUploads] = useState<UploadEntry[]>([]);
  const [rejections, setRejections] = useState<Rejection[]>([]);
  const nextId = useRef(1);

  const patch = (id: number, change: Partial<UploadEntry>) => setUploads((list) => list.map((u) => (u.id === id ? { ...u, ...change } : u)));
  const remove = (id: number) => setUploads((list) => list.filter((u) => u.id !== id));

  const send = useCallback(
    async (file: File) => {
      const id = nextId.current++;
      const check = checkFile(file, policy);
      if (!check.ok) {
        const message =
          check.reason === 'size'
            ? t('fileTooLarge', { name: file.name, size: formatBytes(lang, file.size), max: formatBytes(lang, maxBytes) })
            : check.reason === 'empty'
              ? t('fileEmpty', { name: file.name })
              : t('fileNotAllowed', { name: file.name });
        setRejections((list) => [...list, { id, message }]);
        return;
      }
      const controller = new AbortController();
      setUploads((list) => [
        ...list,
        { id, name: file.name, size: file.size, loaded: 0, status: 'uploading', cancel: () => controller.abort() },
      ]);
      try {
        const [{ content_uri: url }, dimensions] = await Promise.all([
          client.uploadContent(file, {
            name: file.name,
            type: check.mimetype,
            abortController: controller,
            progressHandler: ({ loaded }) => patch(id, { loaded }),
          }),
          check.image ? imageSize(file) : Promise.resolve(null),
        ]);
        const common = { body: file.name, filename: file.name, url };
        await client.sendMessage(
          room.roomId,
          check.image
            ? { ...common, msgtype: MsgType.Image, info: { mimetype: check.mimetype, size: file.size, ...(dimensions ?? {}) } }
            : { ...common, msgtype: MsgType.File, info: { mimetype: check.mimetype, size: file.size } },
        );
        remove(id);
      } catch {
        if (controller.signal.aborted) remove(id);
        else patch(id, { status: 'failed', cancel: () => remove(id) });
      }
    },
    [client, room, policy, maxBytes, t, lang],
  );

  const dismiss = useCallback((id: number) => setRejections((list) => list.filter((r) => r.id !== id)), []);

  return { uploads, rejections, send, dismiss, policy };
}
