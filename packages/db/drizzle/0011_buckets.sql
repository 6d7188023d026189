CREATE TABLE `buckets` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`name` text NOT NULL,
	`keys` text DEFAULT '[]' NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`bucket_name` text,
	`endpoint` text,
	`ready_keys` text DEFAULT '[]' NOT NULL,
	`usage_objects` integer,
	`usage_bytes` integer,
	`generation` integer DEFAULT 1 NOT NULL,
	`observed_generation` integer DEFAULT 0 NOT NULL,
	`observed_at` integer,
	`sync_error` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `buckets_project_name_uq` ON `buckets` (`project_id`,`name`);--> statement-breakpoint
CREATE INDEX `buckets_page_idx` ON `buckets` (`project_id`,`created_at`,`id`);