// Generated from db/migrations by `./dev appservice db-schema --write`: do not edit.
// A unit test (db-schema.test.ts) fails when it differs from what the migrations make.
import type { DateOnly, Generated, GeneratedAlways, Int8, Json, Timestamp } from './column-types.ts';

export interface Accounts {
  username: string;
  display_name: string;
  email: string | null;
  role: Generated<'agent' | 'supervisor' | 'admin'>;
  active: Generated<boolean>;
  password_hash: string | null;
  imported_password_hash: string | null;
  version: Generated<number>;
  matrix_version: Generated<number>;
  matrix_locked: Generated<boolean>;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
  directory_sort: GeneratedAlways<string | null>;
  directory_search: GeneratedAlways<string | null>;
  sessions_valid_after: Timestamp | null;
  language: 'es' | 'en' | null;
}

export interface AgentWorkload {
  username: string;
  platform_status: 'online' | 'away' | 'offline' | null;
  chats_in_attention: Generated<number>;
  reported_at: Timestamp | null;
  presence: string | null;
  presence_status_msg: string | null;
  presence_at: Timestamp | null;
  active: GeneratedAlways<boolean>;
  capacity: number | null;
  at_limit: GeneratedAlways<boolean>;
}

export interface AppserviceDeadLetters {
  id: Generated<Int8>;
  event_id: string | null;
  room_id: string | null;
  txn_id: string | null;
  reason: string;
  event: string;
  created_at: Generated<Timestamp>;
}

export interface AppserviceEvents {
  seq: Generated<Int8>;
  event_id: string;
  txn_id: string;
  room_id: string;
  event_type: string;
  event: string;
  received_at: Generated<Timestamp>;
  processed_at: Timestamp | null;
  attempts: Generated<number>;
  last_error: string | null;
  first_failed_at: Timestamp | null;
}

export interface AppserviceTransactions {
  txn_id: string;
  received_at: Generated<Timestamp>;
  event_count: number;
  id: Generated<Int8>;
  stored: Generated<number>;
}

export interface BotNotices {
  key: string;
  room_id: string;
  body: string;
  in_reply_to: string | null;
  created_at: Generated<Timestamp>;
  sent_at: Timestamp | null;
  extra: Json | null;
}

export interface Campaigns {
  id: string;
  name: string;
  space_room_id: string | null;
  version: Generated<number>;
  matrix_version: Generated<number>;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
  time_zone: string | null;
  sla_minutes: number | null;
}

export interface ChatReviews {
  id: GeneratedAlways<Int8>;
  room_id: string;
  reviewer: string;
  reviewed_at: Generated<Timestamp>;
}

export interface ChatRollup {
  campaign: string;
  dim: 'all' | 'typification' | 'opener' | 'closer';
  value: string;
  day: DateOnly;
  label: string | null;
  closed: Int8;
  answered: Int8;
  duration_hist: number[];
  answer_hist: number[];
}

export interface Chats {
  room_id: string;
  opened_by: string;
  peer: string;
  pair_key: string;
  campaign_id: string | null;
  status: 'opening' | 'open' | 'closing' | 'closed';
  opened_at: Generated<Timestamp>;
  closed_by: string | null;
  closed_at: Timestamp | null;
  typification_code: string | null;
  typification_label: string | null;
  close_origin: string | null;
  opening_id: string | null;
  first_answer_at: Timestamp | null;
  duration_ms: GeneratedAlways<Int8 | null>;
  first_answer_ms: GeneratedAlways<Int8 | null>;
}

export interface LoginCodeUses {
  id: Generated<Int8>;
  username: string | null;
  issued_at: Timestamp | null;
  used_at: Timestamp;
  outcome: 'signed-in' | 'expired' | 'replayed' | 'unknown' | 'inactive' | 'failed';
  client_address: string | null;
}

export interface LoginCodes {
  code_hash: string;
  username: string;
  issued_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface Memberships {
  username: string;
  campaign_id: string;
}

export interface PasswordTokens {
  token_hash: string;
  username: string;
  purpose: 'reset' | 'welcome';
  created_at: Generated<Timestamp>;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface ReportSettings {
  id: Generated<boolean>;
  default_time_zone: string;
}

export interface SchemaMigrations {
  version: number;
  name: string;
  applied_at: Generated<Timestamp>;
}

export interface ServiceCredentials {
  name: string;
  value: string;
  updated_at: Generated<Timestamp>;
}

export interface SlaEscalations {
  event_id: string;
  room_id: string;
  campaign_id: string | null;
  asker: string;
  askee: string;
  asked_at: Timestamp;
  sla_ms: number;
  escalated_at: Generated<Timestamp>;
}

export interface SlaQuestions {
  room_id: string;
  event_id: string;
  asker: string;
  askee: string;
  campaign_id: string | null;
  asked_at: Timestamp;
  sla_ms: number;
  remind_at: Timestamp;
  escalate_at: Timestamp;
  reminded_at: Timestamp | null;
  escalated_at: Timestamp | null;
}

export interface SlaSupervisorRooms {
  username: string;
  room_id: string;
}

export interface TypificationAudit {
  id: Generated<Int8>;
  at: Generated<Timestamp>;
  actor: string;
  via: 'command' | 'import' | 'api';
  action: 'create' | 'update' | 'deactivate' | 'reactivate';
  campaign_id: string | null;
  code: string;
  before: Json | null;
  after: Json;
  source: string | null;
}

export interface Typifications {
  id: Generated<Int8>;
  campaign_id: string | null;
  code: string;
  label: string;
  description: string | null;
  active: Generated<boolean>;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface DB {
  accounts: Accounts;
  agent_workload: AgentWorkload;
  appservice_dead_letters: AppserviceDeadLetters;
  appservice_events: AppserviceEvents;
  appservice_transactions: AppserviceTransactions;
  bot_notices: BotNotices;
  campaigns: Campaigns;
  chat_reviews: ChatReviews;
  chat_rollup: ChatRollup;
  chats: Chats;
  login_code_uses: LoginCodeUses;
  login_codes: LoginCodes;
  memberships: Memberships;
  password_tokens: PasswordTokens;
  report_settings: ReportSettings;
  schema_migrations: SchemaMigrations;
  service_credentials: ServiceCredentials;
  sla_escalations: SlaEscalations;
  sla_questions: SlaQuestions;
  sla_supervisor_rooms: SlaSupervisorRooms;
  typification_audit: TypificationAudit;
  typifications: Typifications;
}
