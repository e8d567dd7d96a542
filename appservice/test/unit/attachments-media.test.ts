import { describe, expect, it } from 'vitest';
import { isMxcUrl, parseMxc, readBounded } from '../../src/features/attachments/media.ts';

/** A response whose body never ends, counting how many chunks were pulled from it. */
function endless(chunkSize: number) {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled++;
      controller.enqueue(new Uint8Array(chunkSize).fill(7));
    },
  });
  return { response: new Response(body), pulled: () => pulled };
}

describe('reading media within the size limit', () => {
  it('returns the whole body when it fits', async () => {
    const bytes = await readBounded(new Response(new Uint8Array(1000).fill(1)), 1000);
    expect(bytes?.length).toBe(1000);
    expect(await readBounded(new Response(null), 10)).toEqual(new Uint8Array(0));
  });

  it('stops reading as soon as the body grows past the limit', async () => {
    const { response, pulled } = endless(64 * 1024);
    expect(await readBounded(response, 1024 * 1024)).toBeUndefined();
    // 16 chunks fill the limit exactly; the 17th goes past it and reading stops there.
    expect(pulled()).toBeLessThanOrEqual(18);
  });

  it('is not fooled by a body one byte over', async () => {
    expect(await readBounded(new Response(new Uint8Array(1001)), 1000)).toBeUndefined();
  });
});

describe('mxc URLs', () => {
  it('accepts server/media-id and nothing else', () => {
    expect(parseMxc('mxc://chattigo.test/AbC_12-x')).toEqual({ server: 'chattigo.test', mediaId: 'AbC_12-x' });
    expect(parseMxc('mxc://[::1]:8448/abc')).toEqual({ server: '[::1]:8448', mediaId: 'abc' });
    for (const bad of ['https://x/y', 'mxc://x', 'mxc://x/y/z', 'mxc://x/../y', 'mxc://x/y?z', 'mxc:///y']) {
      expect(isMxcUrl(bad), bad).toBe(false);
    }
  });
});
