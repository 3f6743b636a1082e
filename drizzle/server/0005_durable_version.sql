ALTER TABLE "tenant_versions" ADD COLUMN "durable" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Every version taken so far was committed synchronously.
UPDATE "tenant_versions" SET "durable" = "version";
--> statement-breakpoint
-- A push commits all but the last mutation of a batch without waiting for the disk; the last one's synchronous
-- commit flushes them all and moves "durable". Pokes announce durable versions only, the versions pulls read up to.
CREATE OR REPLACE FUNCTION "crm_tenant_version_poke"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('crm_events', json_build_object('type', 'poke', 'tenantId', NEW.tenant_id, 'version', NEW.durable)::text);
	RETURN NULL;
END
$$;
--> statement-breakpoint
DROP TRIGGER "tenant_versions_poke" ON "tenant_versions";
--> statement-breakpoint
CREATE TRIGGER "tenant_versions_poke" AFTER INSERT OR UPDATE OF "durable" ON "tenant_versions" FOR EACH ROW EXECUTE FUNCTION "crm_tenant_version_poke"();
