-- Pokes after every committed change: every write to a replicated table takes the tenant's change version (see
-- src-server/db/tenant-version.ts), so announcing each new version on the hub channel covers captures, jobs, admin
-- writes and pushes alike, from any process. NOTIFY is delivered on commit and never on rollback; the hub debounces
-- the pokes of a busy tenant (see src-server/notifications/poke-throttle.ts).
CREATE FUNCTION "crm_tenant_version_poke"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('crm_events', json_build_object('type', 'poke', 'tenantId', NEW.tenant_id, 'version', NEW.version)::text);
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "tenant_versions_poke" AFTER INSERT OR UPDATE OF "version" ON "tenant_versions" FOR EACH ROW EXECUTE FUNCTION "crm_tenant_version_poke"();
--> statement-breakpoint
-- Every delete of a replicated row, by whatever path (admin API, mutation, cascade), leaves a tombstone at the
-- deleting transaction's change version, so replicas drop the row at their next pull. The deleting transaction has
-- taken that version already (every writer takes it first), so the tenant's counter holds it.
-- Arguments: the row's tenant column, then its key column.
CREATE FUNCTION "crm_replicated_row_deleted"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	old_row jsonb := to_jsonb(OLD);
	tenant text := old_row ->> TG_ARGV[0];
BEGIN
	INSERT INTO "sync_tombstones" ("tenant_id", "table_name", "row_id", "version", "deleted_at")
	SELECT tenant, TG_TABLE_NAME, old_row ->> TG_ARGV[1], coalesce((SELECT "version" FROM "tenant_versions" WHERE "tenant_id" = tenant), 0), (extract(epoch FROM clock_timestamp()) * 1000)::bigint
	ON CONFLICT ("tenant_id", "table_name", "row_id") DO UPDATE SET "version" = EXCLUDED."version", "deleted_at" = EXCLUDED."deleted_at";
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "roles_tombstone" AFTER DELETE ON "roles" FOR EACH ROW EXECUTE FUNCTION "crm_replicated_row_deleted"('tenant_id', 'id');
--> statement-breakpoint
CREATE TRIGGER "teams_tombstone" AFTER DELETE ON "teams" FOR EACH ROW EXECUTE FUNCTION "crm_replicated_row_deleted"('tenant_id', 'id');
--> statement-breakpoint
CREATE TRIGGER "users_tombstone" AFTER DELETE ON "users" FOR EACH ROW EXECUTE FUNCTION "crm_replicated_row_deleted"('tenant_id', 'id');
--> statement-breakpoint
CREATE TRIGGER "scoring_configs_tombstone" AFTER DELETE ON "scoring_configs" FOR EACH ROW EXECUTE FUNCTION "crm_replicated_row_deleted"('tenant_id', 'tenant_id');
--> statement-breakpoint
CREATE TRIGGER "distribution_rules_tombstone" AFTER DELETE ON "distribution_rules" FOR EACH ROW EXECUTE FUNCTION "crm_replicated_row_deleted"('tenant_id', 'id');
--> statement-breakpoint
CREATE TRIGGER "approval_policies_tombstone" AFTER DELETE ON "approval_policies" FOR EACH ROW EXECUTE FUNCTION "crm_replicated_row_deleted"('tenant_id', 'id');
--> statement-breakpoint
CREATE TRIGGER "delegations_tombstone" AFTER DELETE ON "delegations" FOR EACH ROW EXECUTE FUNCTION "crm_replicated_row_deleted"('tenant_id', 'id');
--> statement-breakpoint
CREATE TRIGGER "pipelines_tombstone" AFTER DELETE ON "pipelines" FOR EACH ROW EXECUTE FUNCTION "crm_replicated_row_deleted"('tenant_id', 'id');
--> statement-breakpoint
CREATE TRIGGER "stages_tombstone" AFTER DELETE ON "stages" FOR EACH ROW EXECUTE FUNCTION "crm_replicated_row_deleted"('tenant_id', 'id');
--> statement-breakpoint
CREATE TRIGGER "stage_transition_rules_tombstone" AFTER DELETE ON "stage_transition_rules" FOR EACH ROW EXECUTE FUNCTION "crm_replicated_row_deleted"('tenant_id', 'id');
--> statement-breakpoint
CREATE TRIGGER "win_loss_reasons_tombstone" AFTER DELETE ON "win_loss_reasons" FOR EACH ROW EXECUTE FUNCTION "crm_replicated_row_deleted"('tenant_id', 'id');
--> statement-breakpoint
CREATE TRIGGER "nurture_sequences_tombstone" AFTER DELETE ON "nurture_sequences" FOR EACH ROW EXECUTE FUNCTION "crm_replicated_row_deleted"('tenant_id', 'id');
--> statement-breakpoint
CREATE TRIGGER "companies_tombstone" AFTER DELETE ON "companies" FOR EACH ROW EXECUTE FUNCTION "crm_replicated_row_deleted"('tenant_id', 'id');
--> statement-breakpoint
CREATE TRIGGER "contacts_tombstone" AFTER DELETE ON "contacts" FOR EACH ROW EXECUTE FUNCTION "crm_replicated_row_deleted"('tenant_id', 'id');
--> statement-breakpoint
CREATE TRIGGER "leads_tombstone" AFTER DELETE ON "leads" FOR EACH ROW EXECUTE FUNCTION "crm_replicated_row_deleted"('tenant_id', 'id');
--> statement-breakpoint
CREATE TRIGGER "deals_tombstone" AFTER DELETE ON "deals" FOR EACH ROW EXECUTE FUNCTION "crm_replicated_row_deleted"('tenant_id', 'id');
--> statement-breakpoint
CREATE TRIGGER "stage_history_tombstone" AFTER DELETE ON "stage_history" FOR EACH ROW EXECUTE FUNCTION "crm_replicated_row_deleted"('tenant_id', 'id');
--> statement-breakpoint
CREATE TRIGGER "approval_requests_tombstone" AFTER DELETE ON "approval_requests" FOR EACH ROW EXECUTE FUNCTION "crm_replicated_row_deleted"('tenant_id', 'id');
--> statement-breakpoint
CREATE TRIGGER "approval_events_tombstone" AFTER DELETE ON "approval_events" FOR EACH ROW EXECUTE FUNCTION "crm_replicated_row_deleted"('tenant_id', 'id');
--> statement-breakpoint
CREATE TRIGGER "activities_tombstone" AFTER DELETE ON "activities" FOR EACH ROW EXECUTE FUNCTION "crm_replicated_row_deleted"('tenant_id', 'id');
--> statement-breakpoint
CREATE TRIGGER "notifications_tombstone" AFTER DELETE ON "notifications" FOR EACH ROW EXECUTE FUNCTION "crm_replicated_row_deleted"('tenant_id', 'id');
--> statement-breakpoint
CREATE TRIGGER "nurture_enrollments_tombstone" AFTER DELETE ON "nurture_enrollments" FOR EACH ROW EXECUTE FUNCTION "crm_replicated_row_deleted"('tenant_id', 'id');
--> statement-breakpoint
CREATE TRIGGER "audit_log_tombstone" AFTER DELETE ON "audit_log" FOR EACH ROW EXECUTE FUNCTION "crm_replicated_row_deleted"('tenant_id', 'id');
--> statement-breakpoint
CREATE TRIGGER "conflicts_tombstone" AFTER DELETE ON "conflicts" FOR EACH ROW EXECUTE FUNCTION "crm_replicated_row_deleted"('tenant_id', 'id');
