CREATE TABLE `reserved_ips` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`name` text NOT NULL,
	`ip` text NOT NULL,
	`region` text NOT NULL,
	`droplet_id` text,
	`state` text DEFAULT 'pending' NOT NULL,
	`announced` integer DEFAULT false NOT NULL,
	`generation` integer DEFAULT 1 NOT NULL,
	`observed_generation` integer DEFAULT 0 NOT NULL,
	`observed_at` integer,
	`sync_error` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`droplet_id`) REFERENCES `droplets`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reserved_ips_project_name_uq` ON `reserved_ips` (`project_id`,`name`);--> statement-breakpoint
CREATE UNIQUE INDEX `reserved_ips_ip_uq` ON `reserved_ips` (`ip`);--> statement-breakpoint
CREATE INDEX `reserved_ips_page_idx` ON `reserved_ips` (`project_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `reserved_ips_droplet_idx` ON `reserved_ips` (`droplet_id`);--> statement-breakpoint
ALTER TABLE `quotas` ADD `reserved_ips` integer DEFAULT 5 NOT NULL;