import type { CampaignRef, DirectoryAgent, WorkloadChange } from '@chattigo/contracts/directory';

/** One section of the picker (active or inactive agents) as far as it is loaded. */
export interface Section {
  agents: DirectoryAgent[];
  /** How many agents the section has on the server, over all pages. */
  total: number;
}

export interface Sections {
  active: Section;
  inactive: Section;
  /** The campaigns the picker can be filtered by (from the server), by name. */
  campaigns: CampaignRef[];
}

export const emptySections: Sections = { active: { agents: [], total: 0 }, inactive: { agents: [], total: 0 }, campaigns: [] };

/**
 * Applies live workload changes to the loaded sections. A new count of an agent on screen is
 * written in place; a change that moves an agent between sections or reaching or leaving their
 * limit (the order within the active section: available agents first), or concerns an agent not on
 * screen who may now belong there, asks for a reload (the server knows the order and the search).
 */
export function applyWorkload(sections: Sections, changes: readonly WorkloadChange[]): { sections: Sections; reload: boolean } {
  let reload = false;
  let { active, inactive } = sections;
  for (const change of changes) {
    const inActive = active.agents.findIndex((a) => a.username === change.username);
    const inInactive = inactive.agents.findIndex((a) => a.username === change.username);
    if (inActive < 0 && inInactive < 0) {
      // Someone off screen: only a reload can tell whether they belong on it now.
      reload = true;
      continue;
    }
    const [section, index, isActive] = inActive >= 0 ? [active, inActive, true] : [inactive, inInactive, false];
    const agent = section.agents[index];
    // Reaching or leaving the limit moves the agent within the active section (server order).
    if (change.active !== isActive || (agent !== undefined && change.atLimit !== agent.atLimit)) {
      reload = true;
      continue;
    }
    if (!agent || agent.chatsInAttention === change.chatsInAttention) continue;
    const agents = section.agents.slice();
    agents[index] = { ...agent, chatsInAttention: change.chatsInAttention };
    if (isActive) active = { ...active, agents };
    else inactive = { ...inactive, agents };
  }
  return { sections: active === sections.active && inactive === sections.inactive ? sections : { ...sections, active, inactive }, reload };
}

/** Appends a further page, leaving out agents already listed (the list may have shifted meanwhile). */
export function appendPage(section: Section, page: { agents: DirectoryAgent[]; total: number }): Section {
  const known = new Set(section.agents.map((a) => a.username));
  return { agents: [...section.agents, ...page.agents.filter((a) => !known.has(a.username))], total: page.total };
}

/** The campaigns two agents share: a chat between them belongs to one of these. */
export function sharedCampaigns(mine: readonly string[], theirs: readonly { id: string; name: string }[]): { id: string; name: string }[] {
  return theirs.filter((c) => mine.includes(c.id));
}
