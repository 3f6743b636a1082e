CREATE TABLE "distribution_cursors" (
	"tenant_id" text NOT NULL,
	"rule_id" text NOT NULL,
	"cursor" integer NOT NULL,
	CONSTRAINT "distribution_cursors_tenant_id_rule_id_pk" PRIMARY KEY("tenant_id","rule_id")
);
--> statement-breakpoint
CREATE TABLE "lead_distributions" (
	"lead_id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"outcome" text NOT NULL,
	"assignee_id" text,
	"reason" text NOT NULL,
	"decided_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "nurture_enrollment_origins" (
	"enrollment_id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"lead_status" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "nurture_step_runs" (
	"enrollment_id" text NOT NULL,
	"step_index" integer NOT NULL,
	"tenant_id" text NOT NULL,
	"outcome" text NOT NULL,
	"ref" text,
	"detail" text,
	"at" bigint NOT NULL,
	CONSTRAINT "nurture_step_runs_enrollment_id_step_index_pk" PRIMARY KEY("enrollment_id","step_index")
);
--> statement-breakpoint
CREATE INDEX "lead_distributions_tenant_idx" ON "lead_distributions" USING btree ("tenant_id");--> statement-breakpoint
-- Every stored notification is announced on the hub channel (see src-server/notifications/notification-hub.ts):
-- NOTIFY is delivered on commit, so whichever code path and process wrote it, connected sockets hear of it.
CREATE FUNCTION "crm_notification_created"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('crm_events', json_build_object('type', 'notification', 'tenantId', NEW.tenant_id, 'userId', NEW.user_id, 'id', NEW.id)::text);
	RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "notifications_created_notify" AFTER INSERT ON "notifications" FOR EACH ROW EXECUTE FUNCTION "crm_notification_created"();
