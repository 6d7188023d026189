CREATE TABLE `actions` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`resource_kind` text NOT NULL,
	`resource_id` text NOT NULL,
	`type` text NOT NULL,
	`status` text DEFAULT 'in-progress' NOT NULL,
	`params` text NOT NULL,
	`generation` integer,
	`progress` text,
	`error` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`completed_at` integer,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `actions_page_idx` ON `actions` (`project_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `actions_resource_idx` ON `actions` (`resource_id`,`status`);--> statement-breakpoint
CREATE INDEX `actions_status_idx` ON `actions` (`status`);--> statement-breakpoint
CREATE TABLE `usage_samples` (
	`resource_id` text NOT NULL,
	`project_id` text NOT NULL,
	`at` integer NOT NULL,
	`cpu_millicores` integer NOT NULL,
	`memory_mib` integer NOT NULL,
	PRIMARY KEY(`resource_id`, `at`),
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `usage_samples_at_idx` ON `usage_samples` (`at`);--> statement-breakpoint
ALTER TABLE `apps` ADD `previous_image` text;--> statement-breakpoint
ALTER TABLE `apps` ADD `restarted_at` integer;--> statement-breakpoint
ALTER TABLE `apps` ADD `updated_replicas` integer;--> statement-breakpoint
ALTER TABLE `databases` ADD `storage_gib` integer;--> statement-breakpoint
ALTER TABLE `databases` ADD `password_revision` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `droplets` ADD `powered_on` integer DEFAULT true NOT NULL;