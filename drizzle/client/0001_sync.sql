CREATE TABLE `conflicts` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`entity_type` text NOT NULL,
	`entity_id` text NOT NULL,
	`kind` text NOT NULL,
	`field` text NOT NULL,
	`base_value` text,
	`server_value` text,
	`client_value` text,
	`client_user_id` text NOT NULL,
	`server_user_id` text,
	`mutation_name` text NOT NULL,
	`status` text NOT NULL,
	`resolution` text,
	`resolved_by` text,
	`resolved_at` integer,
	`created_at` integer NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `conflicts_entity_idx` ON `conflicts` (`entity_type`,`entity_id`);--> statement-breakpoint
CREATE INDEX `conflicts_open_idx` ON `conflicts` (`status`,`created_at`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`mutation_id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`args` text NOT NULL,
	`base` text,
	`client_time` integer NOT NULL,
	`protocol_version` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sync_base` (
	`tbl` text NOT NULL,
	`pk` text NOT NULL,
	`row` text,
	PRIMARY KEY(`tbl`, `pk`)
);
--> statement-breakpoint
CREATE TABLE `sync_seen` (
	`tbl` text NOT NULL,
	`pk` text NOT NULL,
	PRIMARY KEY(`tbl`, `pk`)
);
--> statement-breakpoint
CREATE TABLE `sync_state` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
