import type { DirectoryAgent } from '@chattigo/contracts/directory';

/** An agent of the directory in the campaign "ventas", with no capacity limit. */
export const directoryAgent = (username: string, active: boolean, chatsInAttention = 0): DirectoryAgent => ({
  username,
  userId: `@chattigo_${username}:chattigo.test`,
  displayName: username,
  role: 'agent',
  active,
  chatsInAttention,
  capacity: null,
  atLimit: false,
  campaigns: [{ id: 'ventas', name: 'Ventas' }],
});
