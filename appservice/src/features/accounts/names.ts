/** What a Chattigo username may look like (the Matrix localpart is the user prefix and this). */
export const USERNAME_PATTERN = '^[a-z0-9][a-z0-9._-]{0,63}$';
/** What a campaign id may look like. */
export const CAMPAIGN_ID_PATTERN = '^[a-z0-9][a-z0-9_-]{0,63}$';
