ALTER TABLE `database_backups` ADD `source` text;--> statement-breakpoint
ALTER TABLE `database_backups` ADD `data_location` text;--> statement-breakpoint
ALTER TABLE `database_backups` ADD `data_deleted_at` integer;