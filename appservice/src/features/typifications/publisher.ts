import { isDeepStrictEqual } from 'node:util';
import { TYPIFICATIONS_EVENT, type TypificationsContent } from '@chattigo/contracts/event-types';
import type { MatrixGateway } from '../../matrix/gateway.ts';
import type { Logger } from '../../observability/logger.ts';
import type { CatalogId, Typification } from './model.ts';
import type { TypificationService } from './service.ts';

/** The published form of a campaign's catalog: the same shape for the state event and the API. */
export function catalogContent(campaign: string, typifications: readonly Typification[]): TypificationsContent {
  return {
    campaign,
    typifications: typifications.map((t) => ({ code: t.code, label: t.label, description: t.description })),
  };
}

/**
 * Publishes each campaign's current catalog as `com.chattigo.typifications` state in the
 * campaign's space (campaigns without a space are skipped). A change to the global catalog is
 * published to every campaign space.
 */
export class CatalogPublisher {
  private readonly service: TypificationService;
  private readonly gateway: MatrixGateway;
  private readonly log: Logger;

  constructor(deps: { service: TypificationService; gateway: MatrixGateway; log: Logger }) {
    this.service = deps.service;
    this.gateway = deps.gateway;
    this.log = deps.log;
  }

  /**
   * Publishes what `catalog` affects; resolves to the number of spaces written. A space whose
   * state already says the same is not written again (this runs at every start-up); a failing
   * space is logged and skipped.
   */
  async publish(catalog: CatalogId): Promise<number> {
    let written = 0;
    for (const campaign of await this.service.campaignsShowing(catalog)) {
      if (!campaign.spaceRoomId) continue;
      const content = catalogContent(campaign.id, await this.service.catalogFor(campaign.id));
      try {
        const current = await this.gateway.getState(campaign.spaceRoomId, TYPIFICATIONS_EVENT);
        if (isDeepStrictEqual(current, content)) continue;
        await this.gateway.sendState(campaign.spaceRoomId, TYPIFICATIONS_EVENT, content);
        written++;
      } catch (err) {
        this.log.error({ err, campaign: campaign.id, roomId: campaign.spaceRoomId }, 'could not publish the typification catalog');
      }
    }
    return written;
  }

  /** Publishes every campaign's catalog (e.g. after an import, or to reconcile at start-up). */
  publishAll(): Promise<number> {
    return this.publish(null);
  }
}
