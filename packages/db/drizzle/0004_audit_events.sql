CREATE TABLE `audit_events` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`actor_id` text NOT NULL,
	`token_id` text,
	`token_prefix` text,
	`procedure` text NOT NULL,
	`project_id` text,
	`resource_id` text,
	`error_code` text,
	`request_id` text
);
--> statement-breakpoint
CREATE INDEX `audit_events_page_idx` ON `audit_events` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `audit_events_project_idx` ON `audit_events` (`project_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `audit_events_actor_idx` ON `audit_events` (`actor_id`,`created_at`,`id`);