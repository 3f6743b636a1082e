CREATE TABLE `roles` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`permissions` text NOT NULL,
	`approval_limit_minor` integer,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `teams` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`manager_id` text,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `tenants` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`slug` text NOT NULL,
	`settings` text NOT NULL,
	`created_at` integer NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`team_id` text,
	`manager_id` text,
	`active` integer NOT NULL,
	`capacity` integer,
	`territory` text,
	`created_at` integer NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `activities` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`entity_type` text NOT NULL,
	`entity_id` text NOT NULL,
	`kind` text NOT NULL,
	`subject` text NOT NULL,
	`body` text,
	`occurred_at` integer NOT NULL,
	`due_at` integer,
	`done_at` integer,
	`owner_id` text,
	`created_at` integer NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `activities_entity_idx` ON `activities` (`entity_type`,`entity_id`,`occurred_at`,`kind`);--> statement-breakpoint
CREATE INDEX `activities_tasks_idx` ON `activities` (`owner_id`,`kind`,`due_at`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`actor_id` text,
	`entity_type` text NOT NULL,
	`entity_id` text NOT NULL,
	`action` text NOT NULL,
	`before` text,
	`after` text,
	`at` integer NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_entity_idx` ON `audit_log` (`entity_type`,`entity_id`,`at`);--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`body` text,
	`entity_type` text,
	`entity_id` text,
	`read_at` integer,
	`created_at` integer NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `notifications_user_idx` ON `notifications` (`user_id`,`read_at`,`created_at`);--> statement-breakpoint
CREATE TABLE `approval_events` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`request_id` text NOT NULL,
	`step` integer NOT NULL,
	`kind` text NOT NULL,
	`actor_id` text,
	`on_behalf_of` text,
	`comment` text,
	`at` integer NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `approval_requests`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `approval_events_request_idx` ON `approval_events` (`request_id`,`at`);--> statement-breakpoint
CREATE TABLE `approval_policies` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`levels` text NOT NULL,
	`config_version` integer NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `approval_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`deal_id` text NOT NULL,
	`policy_id` text NOT NULL,
	`requested_by` text NOT NULL,
	`binding` text NOT NULL,
	`level_indexes` text NOT NULL,
	`current_step` integer NOT NULL,
	`approver_id` text,
	`due_at` integer,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`decided_at` integer,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `approval_requests_inbox_idx` ON `approval_requests` (`approver_id`,`status`);--> statement-breakpoint
CREATE INDEX `approval_requests_deal_idx` ON `approval_requests` (`deal_id`);--> statement-breakpoint
CREATE TABLE `delegations` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`from_user_id` text NOT NULL,
	`to_user_id` text NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `delegations_from_idx` ON `delegations` (`from_user_id`);--> statement-breakpoint
CREATE TABLE `distribution_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`position` integer NOT NULL,
	`active` integer NOT NULL,
	`filters` text NOT NULL,
	`method` text NOT NULL,
	`member_ids` text NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `nurture_enrollments` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`sequence_id` text NOT NULL,
	`lead_id` text NOT NULL,
	`step_index` integer NOT NULL,
	`status` text NOT NULL,
	`stop_reason` text,
	`next_run_at` integer,
	`enrolled_at` integer NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `nurture_enrollments_lead_idx` ON `nurture_enrollments` (`lead_id`);--> statement-breakpoint
CREATE INDEX `nurture_enrollments_due_idx` ON `nurture_enrollments` (`status`,`next_run_at`);--> statement-breakpoint
CREATE TABLE `nurture_sequences` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`active` integer NOT NULL,
	`enroll_statuses` text NOT NULL,
	`enroll_filters` text NOT NULL,
	`steps` text NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `scoring_configs` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`config_version` integer NOT NULL,
	`fit_rules` text NOT NULL,
	`engagement_rules` text NOT NULL,
	`engagement_half_life_days` integer NOT NULL,
	`max_engagement_points` integer NOT NULL,
	`predictive` text NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `deals` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`amount_minor` integer,
	`currency` text NOT NULL,
	`discount_pct` real,
	`pipeline_id` text NOT NULL,
	`stage_id` text NOT NULL,
	`status` text NOT NULL,
	`owner_id` text,
	`team_id` text,
	`company_id` text,
	`contact_id` text,
	`lead_id` text,
	`expected_close_date` text,
	`probability` integer NOT NULL,
	`next_step` text,
	`won_lost_reason_id` text,
	`won_lost_note` text,
	`stage_entered_at` integer NOT NULL,
	`closed_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `deals_board_idx` ON `deals` (`pipeline_id`,`stage_id`,`stage_entered_at`,`id`);--> statement-breakpoint
CREATE INDEX `deals_board_sums_idx` ON `deals` (`pipeline_id`,`stage_id`,`status`,`stage_entered_at`,`amount_minor`,`probability`);--> statement-breakpoint
CREATE INDEX `deals_owner_idx` ON `deals` (`owner_id`,`status`);--> statement-breakpoint
CREATE INDEX `deals_lead_idx` ON `deals` (`lead_id`);--> statement-breakpoint
CREATE TABLE `pipelines` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`position` integer NOT NULL,
	`config_version` integer NOT NULL,
	`currency` text NOT NULL,
	`transition_mode` text NOT NULL,
	`access` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `stage_history` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`deal_id` text NOT NULL,
	`pipeline_id` text NOT NULL,
	`stage_id` text NOT NULL,
	`entered_at` integer NOT NULL,
	`exited_at` integer,
	`actor_id` text,
	`version` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`deal_id`) REFERENCES `deals`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `stage_history_deal_idx` ON `stage_history` (`deal_id`,`entered_at`);--> statement-breakpoint
CREATE TABLE `stage_transition_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`pipeline_id` text NOT NULL,
	`from_stage_id` text,
	`to_stage_id` text NOT NULL,
	`effect` text NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`pipeline_id`) REFERENCES `pipelines`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `stage_transition_rules_pipeline_idx` ON `stage_transition_rules` (`pipeline_id`);--> statement-breakpoint
CREATE TABLE `stages` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`pipeline_id` text NOT NULL,
	`name` text NOT NULL,
	`position` integer NOT NULL,
	`probability` integer NOT NULL,
	`kind` text NOT NULL,
	`rotting_days` integer,
	`required_fields` text NOT NULL,
	`approval_policy_id` text,
	`fold` integer NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`pipeline_id`) REFERENCES `pipelines`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `stages_pipeline_idx` ON `stages` (`pipeline_id`,`position`);--> statement-breakpoint
CREATE TABLE `win_loss_reasons` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`kind` text NOT NULL,
	`label` text NOT NULL,
	`active` integer NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `companies` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`domain` text,
	`owner_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `companies_domain_idx` ON `companies` (`domain`);--> statement-breakpoint
CREATE INDEX `companies_name_idx` ON `companies` (`name`);--> statement-breakpoint
CREATE TABLE `contacts` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`company_id` text,
	`first_name` text NOT NULL,
	`last_name` text NOT NULL,
	`email` text,
	`phone` text,
	`title` text,
	`owner_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `contacts_email_idx` ON `contacts` (`email`);--> statement-breakpoint
CREATE INDEX `contacts_company_idx` ON `contacts` (`company_id`);--> statement-breakpoint
CREATE TABLE `lead_dedupe_keys` (
	`key` text NOT NULL,
	`lead_id` text NOT NULL,
	PRIMARY KEY(`key`, `lead_id`),
	FOREIGN KEY (`lead_id`) REFERENCES `leads`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `lead_dedupe_keys_lead_idx` ON `lead_dedupe_keys` (`lead_id`);--> statement-breakpoint
CREATE TABLE `leads` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`first_name` text NOT NULL,
	`last_name` text NOT NULL,
	`email` text,
	`phone` text,
	`company_name` text,
	`title` text,
	`country` text,
	`region` text,
	`source` text,
	`medium` text,
	`campaign` text,
	`referrer` text,
	`form_key` text,
	`status` text NOT NULL,
	`disqualify_reason` text,
	`score` integer NOT NULL,
	`score_factors` text NOT NULL,
	`win_probability` real,
	`owner_id` text,
	`team_id` text,
	`possible_duplicate_of` text,
	`converted_contact_id` text,
	`converted_company_id` text,
	`converted_deal_id` text,
	`last_activity_at` integer,
	`archived` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `leads_queue_status_idx` ON `leads` (`archived`,`status`,`score`,`id`);--> statement-breakpoint
CREATE INDEX `leads_queue_owner_idx` ON `leads` (`owner_id`,`archived`,`score`,`id`);--> statement-breakpoint
CREATE INDEX `leads_queue_team_idx` ON `leads` (`team_id`,`archived`,`score`,`id`);--> statement-breakpoint
CREATE INDEX `leads_score_idx` ON `leads` (`archived`,`score`,`id`);--> statement-breakpoint
CREATE INDEX `leads_created_idx` ON `leads` (`archived`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `leads_updated_idx` ON `leads` (`archived`,`updated_at`,`id`);--> statement-breakpoint
CREATE INDEX `leads_name_idx` ON `leads` (`archived`,`last_name`,`first_name`,`id`);--> statement-breakpoint
CREATE INDEX `leads_possible_duplicate_idx` ON `leads` (`possible_duplicate_of`) WHERE "leads"."possible_duplicate_of" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `local_meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
