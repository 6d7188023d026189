PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_actions` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text,
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
INSERT INTO `__new_actions`("id", "project_id", "resource_kind", "resource_id", "type", "status", "params", "generation", "progress", "error", "created_at", "completed_at") SELECT "id", "project_id", "resource_kind", "resource_id", "type", "status", "params", "generation", "progress", "error", "created_at", "completed_at" FROM `actions`;--> statement-breakpoint
DROP TABLE `actions`;--> statement-breakpoint
ALTER TABLE `__new_actions` RENAME TO `actions`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `actions_page_idx` ON `actions` (`project_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `actions_resource_idx` ON `actions` (`resource_id`,`status`);--> statement-breakpoint
CREATE INDEX `actions_status_idx` ON `actions` (`status`);