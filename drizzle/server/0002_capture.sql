CREATE TABLE "capture_submissions" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"form_id" text NOT NULL,
	"idempotency_key" text,
	"request_hash" text NOT NULL,
	"lead_id" text NOT NULL,
	"outcome" text NOT NULL,
	"response" jsonb NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "capture_submissions_key_idx" ON "capture_submissions" USING btree ("form_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "capture_submissions_tenant_idx" ON "capture_submissions" USING btree ("tenant_id","created_at");