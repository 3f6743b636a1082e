CREATE TABLE "conflicts" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text NOT NULL,
	"kind" text NOT NULL,
	"field" text NOT NULL,
	"base_value" jsonb,
	"server_value" jsonb,
	"client_value" jsonb,
	"client_user_id" text NOT NULL,
	"server_user_id" text,
	"mutation_name" text NOT NULL,
	"status" text NOT NULL,
	"resolution" text,
	"resolved_by" text,
	"resolved_at" bigint,
	"created_at" bigint NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mutation_results" (
	"client_id" text NOT NULL,
	"mutation_id" bigint NOT NULL,
	"tenant_id" text NOT NULL,
	"name" text NOT NULL,
	"error" jsonb NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "mutation_results_client_id_mutation_id_pk" PRIMARY KEY("client_id","mutation_id")
);
--> statement-breakpoint
CREATE TABLE "sync_clients" (
	"client_id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"last_mutation_id" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_horizons" (
	"tenant_id" text PRIMARY KEY NOT NULL,
	"version" bigint NOT NULL,
	"compacted_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_tombstones" (
	"tenant_id" text NOT NULL,
	"table_name" text NOT NULL,
	"row_id" text NOT NULL,
	"version" bigint NOT NULL,
	"deleted_at" bigint NOT NULL,
	CONSTRAINT "sync_tombstones_tenant_id_table_name_row_id_pk" PRIMARY KEY("tenant_id","table_name","row_id")
);
--> statement-breakpoint
CREATE INDEX "conflicts_entity_idx" ON "conflicts" USING btree ("tenant_id","entity_type","entity_id");--> statement-breakpoint
CREATE INDEX "conflicts_version_idx" ON "conflicts" USING btree ("tenant_id","version");--> statement-breakpoint
CREATE INDEX "sync_tombstones_version_idx" ON "sync_tombstones" USING btree ("tenant_id","version");--> statement-breakpoint
CREATE INDEX "activities_version_idx" ON "activities" USING btree ("tenant_id","version");--> statement-breakpoint
CREATE INDEX "audit_log_version_idx" ON "audit_log" USING btree ("tenant_id","version");--> statement-breakpoint
CREATE INDEX "notifications_version_idx" ON "notifications" USING btree ("tenant_id","version");--> statement-breakpoint
CREATE INDEX "approval_events_version_idx" ON "approval_events" USING btree ("tenant_id","version");--> statement-breakpoint
CREATE INDEX "approval_requests_version_idx" ON "approval_requests" USING btree ("tenant_id","version");--> statement-breakpoint
CREATE INDEX "nurture_enrollments_version_idx" ON "nurture_enrollments" USING btree ("tenant_id","version");--> statement-breakpoint
CREATE INDEX "deals_version_idx" ON "deals" USING btree ("tenant_id","version");--> statement-breakpoint
CREATE INDEX "stage_history_version_idx" ON "stage_history" USING btree ("tenant_id","version");--> statement-breakpoint
CREATE INDEX "companies_version_idx" ON "companies" USING btree ("tenant_id","version");--> statement-breakpoint
CREATE INDEX "contacts_version_idx" ON "contacts" USING btree ("tenant_id","version");--> statement-breakpoint
CREATE INDEX "leads_version_idx" ON "leads" USING btree ("tenant_id","version");