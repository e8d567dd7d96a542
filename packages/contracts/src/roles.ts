/** The directory roles of a Chattigo account; admins may manage typifications through the bot. */
export const ROLES = ['agent', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];
