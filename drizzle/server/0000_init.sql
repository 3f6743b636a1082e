CREATE TABLE "roles" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"name" text NOT NULL,
	"permissions" jsonb NOT NULL,
	"approval_limit_minor" bigint,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "teams" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"name" text NOT NULL,
	"manager_id" text,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tenants" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"settings" jsonb NOT NULL,
	"created_at" bigint NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"team_id" text,
	"manager_id" text,
	"active" boolean NOT NULL,
	"capacity" integer,
	"territory" text,
	"created_at" bigint NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "activities" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text NOT NULL,
	"kind" text NOT NULL,
	"subject" text NOT NULL,
	"body" text,
	"occurred_at" bigint NOT NULL,
	"due_at" bigint,
	"done_at" bigint,
	"owner_id" text,
	"created_at" bigint NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"actor_id" text,
	"entity_type" text NOT NULL,
	"entity_id" text NOT NULL,
	"action" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"at" bigint NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text,
	"entity_type" text,
	"entity_id" text,
	"read_at" bigint,
	"created_at" bigint NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "approval_events" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"request_id" text NOT NULL,
	"step" integer NOT NULL,
	"kind" text NOT NULL,
	"actor_id" text,
	"on_behalf_of" text,
	"comment" text,
	"at" bigint NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "approval_policies" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"name" text NOT NULL,
	"levels" jsonb NOT NULL,
	"config_version" integer NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "approval_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"deal_id" text NOT NULL,
	"policy_id" text NOT NULL,
	"requested_by" text NOT NULL,
	"binding" jsonb NOT NULL,
	"level_indexes" jsonb NOT NULL,
	"current_step" integer NOT NULL,
	"approver_id" text,
	"due_at" bigint,
	"status" text NOT NULL,
	"created_at" bigint NOT NULL,
	"decided_at" bigint,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "delegations" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"from_user_id" text NOT NULL,
	"to_user_id" text NOT NULL,
	"starts_at" bigint NOT NULL,
	"ends_at" bigint NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "auth_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"device_id" text NOT NULL,
	"created_at" bigint NOT NULL,
	"revoked_at" bigint,
	"revoked_reason" text
);
--> statement-breakpoint
CREATE TABLE "devices" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"name" text NOT NULL,
	"created_at" bigint NOT NULL,
	"last_seen_at" bigint NOT NULL,
	"revoked_at" bigint
);
--> statement-breakpoint
CREATE TABLE "refresh_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"session_id" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL,
	"used_at" bigint
);
--> statement-breakpoint
CREATE TABLE "server_secrets" (
	"name" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tenant_versions" (
	"tenant_id" text PRIMARY KEY NOT NULL,
	"version" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "user_credentials" (
	"user_id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"password_hash" text NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "distribution_rules" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"name" text NOT NULL,
	"position" integer NOT NULL,
	"active" boolean NOT NULL,
	"filters" jsonb NOT NULL,
	"method" text NOT NULL,
	"member_ids" jsonb NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "nurture_enrollments" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"sequence_id" text NOT NULL,
	"lead_id" text NOT NULL,
	"step_index" integer NOT NULL,
	"status" text NOT NULL,
	"stop_reason" text,
	"next_run_at" bigint,
	"enrolled_at" bigint NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "nurture_sequences" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"name" text NOT NULL,
	"active" boolean NOT NULL,
	"enroll_statuses" jsonb NOT NULL,
	"enroll_filters" jsonb NOT NULL,
	"steps" jsonb NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scoring_configs" (
	"tenant_id" text PRIMARY KEY NOT NULL,
	"config_version" integer NOT NULL,
	"fit_rules" jsonb NOT NULL,
	"engagement_rules" jsonb NOT NULL,
	"engagement_half_life_days" integer NOT NULL,
	"max_engagement_points" integer NOT NULL,
	"predictive" jsonb NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deals" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"name" text NOT NULL,
	"amount_minor" bigint,
	"currency" text NOT NULL,
	"discount_pct" double precision,
	"pipeline_id" text NOT NULL,
	"stage_id" text NOT NULL,
	"status" text NOT NULL,
	"owner_id" text,
	"team_id" text,
	"company_id" text,
	"contact_id" text,
	"lead_id" text,
	"expected_close_date" text,
	"probability" integer NOT NULL,
	"next_step" text,
	"won_lost_reason_id" text,
	"won_lost_note" text,
	"stage_entered_at" bigint NOT NULL,
	"closed_at" bigint,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pipelines" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"name" text NOT NULL,
	"position" integer NOT NULL,
	"config_version" integer NOT NULL,
	"currency" text NOT NULL,
	"transition_mode" text NOT NULL,
	"access" jsonb NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stage_history" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"deal_id" text NOT NULL,
	"pipeline_id" text NOT NULL,
	"stage_id" text NOT NULL,
	"entered_at" bigint NOT NULL,
	"exited_at" bigint,
	"actor_id" text,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stage_transition_rules" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"pipeline_id" text NOT NULL,
	"from_stage_id" text,
	"to_stage_id" text NOT NULL,
	"effect" text NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stages" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"pipeline_id" text NOT NULL,
	"name" text NOT NULL,
	"position" integer NOT NULL,
	"probability" integer NOT NULL,
	"kind" text NOT NULL,
	"rotting_days" integer,
	"required_fields" jsonb NOT NULL,
	"approval_policy_id" text,
	"fold" boolean NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "win_loss_reasons" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"kind" text NOT NULL,
	"label" text NOT NULL,
	"active" boolean NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "forms" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"field_map" jsonb NOT NULL,
	"defaults" jsonb NOT NULL,
	"allowed_origins" jsonb NOT NULL,
	"hmac_secret" text,
	"honeypot_field" text,
	"thank_you_url" text,
	"submission_id_field" text,
	"active" boolean NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "companies" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"name" text NOT NULL,
	"domain" text,
	"owner_id" text,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contacts" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"company_id" text,
	"first_name" text NOT NULL,
	"last_name" text NOT NULL,
	"email" text,
	"phone" text,
	"title" text,
	"owner_id" text,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lead_dedupe_keys" (
	"key" text NOT NULL,
	"lead_id" text NOT NULL,
	CONSTRAINT "lead_dedupe_keys_key_lead_id_pk" PRIMARY KEY("key","lead_id")
);
--> statement-breakpoint
CREATE TABLE "leads" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"first_name" text NOT NULL,
	"last_name" text NOT NULL,
	"email" text,
	"phone" text,
	"company_name" text,
	"title" text,
	"country" text,
	"region" text,
	"source" text,
	"medium" text,
	"campaign" text,
	"referrer" text,
	"form_key" text,
	"status" text NOT NULL,
	"disqualify_reason" text,
	"score" integer NOT NULL,
	"score_factors" jsonb NOT NULL,
	"win_probability" double precision,
	"owner_id" text,
	"team_id" text,
	"possible_duplicate_of" text,
	"converted_contact_id" text,
	"converted_company_id" text,
	"converted_deal_id" text,
	"last_activity_at" bigint,
	"archived" boolean NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "approval_events" ADD CONSTRAINT "approval_events_request_id_approval_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."approval_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth_sessions" ADD CONSTRAINT "auth_sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth_sessions" ADD CONSTRAINT "auth_sessions_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refresh_tokens" ADD CONSTRAINT "refresh_tokens_session_id_auth_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."auth_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_credentials" ADD CONSTRAINT "user_credentials_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stage_history" ADD CONSTRAINT "stage_history_deal_id_deals_id_fk" FOREIGN KEY ("deal_id") REFERENCES "public"."deals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stage_transition_rules" ADD CONSTRAINT "stage_transition_rules_pipeline_id_pipelines_id_fk" FOREIGN KEY ("pipeline_id") REFERENCES "public"."pipelines"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stages" ADD CONSTRAINT "stages_pipeline_id_pipelines_id_fk" FOREIGN KEY ("pipeline_id") REFERENCES "public"."pipelines"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_dedupe_keys" ADD CONSTRAINT "lead_dedupe_keys_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "roles_tenant_name_idx" ON "roles" USING btree ("tenant_id","name");--> statement-breakpoint
CREATE INDEX "teams_tenant_idx" ON "teams" USING btree ("tenant_id","manager_id");--> statement-breakpoint
CREATE UNIQUE INDEX "tenants_slug_idx" ON "tenants" USING btree ("slug");--> statement-breakpoint
CREATE UNIQUE INDEX "users_tenant_email_idx" ON "users" USING btree ("tenant_id",lower("email"));--> statement-breakpoint
CREATE INDEX "users_email_idx" ON "users" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "users_team_idx" ON "users" USING btree ("tenant_id","team_id");--> statement-breakpoint
CREATE INDEX "activities_entity_idx" ON "activities" USING btree ("tenant_id","entity_type","entity_id","occurred_at");--> statement-breakpoint
CREATE INDEX "activities_tasks_idx" ON "activities" USING btree ("tenant_id","owner_id","kind","due_at");--> statement-breakpoint
CREATE INDEX "audit_log_entity_idx" ON "audit_log" USING btree ("tenant_id","entity_type","entity_id","at");--> statement-breakpoint
CREATE INDEX "notifications_user_idx" ON "notifications" USING btree ("tenant_id","user_id","read_at","created_at");--> statement-breakpoint
CREATE INDEX "approval_events_request_idx" ON "approval_events" USING btree ("tenant_id","request_id","at");--> statement-breakpoint
CREATE INDEX "approval_policies_tenant_idx" ON "approval_policies" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "approval_requests_inbox_idx" ON "approval_requests" USING btree ("tenant_id","approver_id","status");--> statement-breakpoint
CREATE INDEX "approval_requests_deal_idx" ON "approval_requests" USING btree ("tenant_id","deal_id");--> statement-breakpoint
CREATE INDEX "delegations_from_idx" ON "delegations" USING btree ("tenant_id","from_user_id");--> statement-breakpoint
CREATE INDEX "auth_sessions_user_idx" ON "auth_sessions" USING btree ("tenant_id","user_id");--> statement-breakpoint
CREATE INDEX "auth_sessions_device_idx" ON "auth_sessions" USING btree ("device_id");--> statement-breakpoint
CREATE INDEX "devices_user_idx" ON "devices" USING btree ("tenant_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "refresh_tokens_hash_idx" ON "refresh_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "refresh_tokens_session_idx" ON "refresh_tokens" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "distribution_rules_tenant_idx" ON "distribution_rules" USING btree ("tenant_id","position");--> statement-breakpoint
CREATE INDEX "nurture_enrollments_lead_idx" ON "nurture_enrollments" USING btree ("tenant_id","lead_id");--> statement-breakpoint
CREATE INDEX "nurture_enrollments_due_idx" ON "nurture_enrollments" USING btree ("status","next_run_at");--> statement-breakpoint
CREATE INDEX "nurture_sequences_tenant_idx" ON "nurture_sequences" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "deals_board_idx" ON "deals" USING btree ("tenant_id","pipeline_id","stage_id","stage_entered_at");--> statement-breakpoint
CREATE INDEX "deals_owner_idx" ON "deals" USING btree ("tenant_id","owner_id","status");--> statement-breakpoint
CREATE INDEX "deals_team_idx" ON "deals" USING btree ("tenant_id","team_id","status");--> statement-breakpoint
CREATE INDEX "deals_lead_idx" ON "deals" USING btree ("tenant_id","lead_id");--> statement-breakpoint
CREATE INDEX "deals_created_idx" ON "deals" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "pipelines_tenant_idx" ON "pipelines" USING btree ("tenant_id","position");--> statement-breakpoint
CREATE INDEX "stage_history_deal_idx" ON "stage_history" USING btree ("tenant_id","deal_id","entered_at");--> statement-breakpoint
CREATE INDEX "stage_transition_rules_pipeline_idx" ON "stage_transition_rules" USING btree ("tenant_id","pipeline_id");--> statement-breakpoint
CREATE INDEX "stages_pipeline_idx" ON "stages" USING btree ("tenant_id","pipeline_id","position");--> statement-breakpoint
CREATE INDEX "win_loss_reasons_tenant_idx" ON "win_loss_reasons" USING btree ("tenant_id","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "forms_key_idx" ON "forms" USING btree ("key");--> statement-breakpoint
CREATE INDEX "forms_tenant_idx" ON "forms" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "companies_domain_idx" ON "companies" USING btree ("tenant_id","domain");--> statement-breakpoint
CREATE INDEX "companies_name_idx" ON "companies" USING btree ("tenant_id","name");--> statement-breakpoint
CREATE INDEX "contacts_email_idx" ON "contacts" USING btree ("tenant_id","email");--> statement-breakpoint
CREATE INDEX "contacts_company_idx" ON "contacts" USING btree ("tenant_id","company_id");--> statement-breakpoint
CREATE INDEX "lead_dedupe_keys_lead_idx" ON "lead_dedupe_keys" USING btree ("lead_id");--> statement-breakpoint
CREATE INDEX "leads_queue_status_idx" ON "leads" USING btree ("tenant_id","archived","status","score");--> statement-breakpoint
CREATE INDEX "leads_queue_owner_idx" ON "leads" USING btree ("tenant_id","owner_id","archived","score");--> statement-breakpoint
CREATE INDEX "leads_queue_team_idx" ON "leads" USING btree ("tenant_id","team_id","archived","score");--> statement-breakpoint
CREATE INDEX "leads_score_idx" ON "leads" USING btree ("tenant_id","archived","score");--> statement-breakpoint
CREATE INDEX "leads_created_idx" ON "leads" USING btree ("tenant_id","created_at");