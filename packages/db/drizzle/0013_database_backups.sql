CREATE TABLE `database_backups` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`name` text NOT NULL,
	`database_id` text NOT NULL,
	`database_name` text NOT NULL,
	`engine` text NOT NULL,
	`bucket_id` text NOT NULL,
	`origin` text NOT NULL,
	`object_name` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`phase` text,
	`started_at` integer,
	`stopped_at` integer,
	`begin_wal` text,
	`end_wal` text,
	`error` text,
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
CREATE UNIQUE INDEX `database_backups_project_name_uq` ON `database_backups` (`project_id`,`name`);--> statement-breakpoint
CREATE INDEX `database_backups_page_idx` ON `database_backups` (`project_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `database_backups_database_idx` ON `database_backups` (`database_id`);--> statement-breakpoint
ALTER TABLE `databases` ADD `backup_bucket_id` text;--> statement-breakpoint
ALTER TABLE `databases` ADD `backup_schedule` text;--> statement-breakpoint
ALTER TABLE `databases` ADD `backup_retention_days` integer;--> statement-breakpoint
ALTER TABLE `databases` ADD `restore_from` text;--> statement-breakpoint
ALTER TABLE `databases` ADD `first_recoverability_point` integer;--> statement-breakpoint
ALTER TABLE `databases` ADD `last_successful_backup` integer;