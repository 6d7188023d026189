CREATE TABLE `snapshots` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`name` text NOT NULL,
	`resource_kind` text NOT NULL,
	`resource_id` text NOT NULL,
	`resource_name` text NOT NULL,
	`size_gib` integer NOT NULL,
	`droplet_size` text,
	`image` text,
	`filesystem` text,
	`state` text DEFAULT 'pending' NOT NULL,
	`volume_snapshot` text,
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
CREATE UNIQUE INDEX `snapshots_project_name_uq` ON `snapshots` (`project_id`,`name`);--> statement-breakpoint
CREATE INDEX `snapshots_page_idx` ON `snapshots` (`project_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `snapshots_resource_idx` ON `snapshots` (`resource_id`);--> statement-breakpoint
ALTER TABLE `droplets` ADD `root_disk` text;--> statement-breakpoint
ALTER TABLE `droplets` ADD `root_disk_snapshot_id` text;--> statement-breakpoint
ALTER TABLE `droplets` ADD `root_disk_volume_snapshot` text;--> statement-breakpoint
ALTER TABLE `volumes` ADD `snapshot_id` text;--> statement-breakpoint
ALTER TABLE `volumes` ADD `volume_snapshot` text;