import Type, { type Static } from 'typebox';

/** `GET /api/v1/attachments/policy`; TypeBox only, imported by the appservice and the web client. */
export const AttachmentPolicySchema = Type.Object({
  maxSizeBytes: Type.Integer({ minimum: 1 }),
  kinds: Type.Array(
    Type.Object({ kind: Type.String(), mime: Type.String(), extensions: Type.Array(Type.String()), image: Type.Boolean() }),
  ),
});
export type AttachmentPolicy = Static<typeof AttachmentPolicySchema>;
