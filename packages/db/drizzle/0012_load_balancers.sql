CREATE TABLE `load_balancers` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`name` text NOT NULL,
	`forwarding_rules` text NOT NULL,
	`health_check` text NOT NULL,
	`droplet_ids` text NOT NULL,
	`tag` text,
	`sticky_sessions` integer DEFAULT false NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`address` text,
	`healthy` text DEFAULT '[]' NOT NULL,
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
CREATE UNIQUE INDEX `load_balancers_project_name_uq` ON `load_balancers` (`project_id`,`name`);--> statement-breakpoint
CREATE INDEX `load_balancers_page_idx` ON `load_balancers` (`project_id`,`created_at`,`id`);