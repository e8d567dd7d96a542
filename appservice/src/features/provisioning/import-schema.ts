import Type, { type Static } from 'typebox';
import { CAMPAIGN_ID_PATTERN, USERNAME_PATTERN } from '../accounts/index.ts';

export const CampaignRow = Type.Object(
  {
    id: Type.String({ pattern: CAMPAIGN_ID_PATTERN, description: 'lower-case letters, digits, - and _' }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    timeZone: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$',
        maxLength: 64,
        description: "IANA time zone of the campaign's report days (e.g. America/Santiago); omitted = unchanged",
      }),
    ),
    /**
     * The campaign's answer-time SLA in minutes (fractions allowed: 0.5 is 30 s; 0: off; null: the
     * configured default, sla.defaultMinutes). Omitted: unchanged.
     */
    slaMinutes: Type.Optional(Type.Union([Type.Number({ minimum: 0, maximum: 1440 }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type CampaignRow = Static<typeof CampaignRow>;

export const RoleSchema = Type.Union([Type.Literal('agent'), Type.Literal('supervisor'), Type.Literal('admin')]);

export const AccountRow = Type.Object(
  {
    username: Type.String({ pattern: USERNAME_PATTERN }),
    displayName: Type.String({ minLength: 1, maxLength: 200 }),
    email: Type.Optional(Type.Union([Type.String({ format: 'email', maxLength: 254 }), Type.Null()])),
    role: Type.Optional(RoleSchema),
    active: Type.Optional(Type.Boolean()),
    /** Exactly the campaigns the account belongs to; omitted = memberships unchanged. */
    campaigns: Type.Optional(Type.Array(Type.String({ pattern: CAMPAIGN_ID_PATTERN }), { maxItems: 1000 })),
    /** An Argon2id (PHC) or bcrypt hash of the account's current password. */
    passwordHash: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    /** The language the server speaks to the account in (es, en); null clears it; omitted = unchanged. */
    language: Type.Optional(Type.Union([Type.Literal('es'), Type.Literal('en'), Type.Null()])),
  },
  { additionalProperties: false },
);
export type AccountRow = Static<typeof AccountRow>;

/** One import batch: what the provisioning API takes and what the CLI builds from JSON or CSV files. */
export const DirectoryImport = Type.Object(
  {
    campaigns: Type.Optional(Type.Array(CampaignRow, { maxItems: 10_000 })),
    accounts: Type.Optional(Type.Array(AccountRow, { maxItems: 100_000 })),
    /** Typification catalogs; each row is checked by features/typifications/import.ts. */
    typifications: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 100_000 })),
  },
  { additionalProperties: false },
);
export type DirectoryImport = Static<typeof DirectoryImport>;

export interface ImportReport {
  dryRun: boolean;
  campaigns: { created: string[]; renamed: string[]; unchanged: number };
  accounts: {
    created: string[];
    updated: string[];
    deactivated: string[];
    reactivated: string[];
    unchanged: number;
  };
  memberships: { added: number; removed: number };
  typifications: { created: number; updated: number; deactivated: number; reactivated: number; unchanged: number };
  /** Matrix side of the change: entities brought in line with the directory, and those still pending. */
  matrix?: { synced: number; failed: number };
}
