<?php
// This file is part of Moodle - https://moodle.org/
//
// Moodle is free software: you can redistribute it and/or modify
// it under the terms of the GNU General Public License as published by
// the Free Software Foundation, either version 3 of the License, or
// (at your option) any later version.
//
// Moodle is distributed in the hope that it will be useful,
// but WITHOUT ANY WARRANTY; without even the implied warranty of
// MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
// GNU General Public License for more details.
//
// You should have received a copy of the GNU General Public License
// along with Moodle.  If not, see <https://www.gnu.org/licenses/>.

namespace local_coursemesh\task;

use local_coursemesh\api_exception;
use local_coursemesh\config;

/**
 * Shared run-and-report logic of the plugin's tasks.
 *
 * Failure policy: an error that may pass (service down, timeout, 5xx, 401/403 an admin can
 * fix) is rethrown, so Moodle's task manager retries the task with its growing fail delay
 * (1 min, doubling, at most 24 h). A final refusal (400 validation, 413 with a single
 * document) is logged and the task ends: sending the same document again cannot succeed.
 *
 * @package    local_coursemesh
 * @copyright  2026 CourseMesh contributors
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
trait sync_task_runner {
    /**
     * Runs $work with the sync service when the plugin is configured, applying the failure policy.
     *
     * @param string $what What is synced, for the task log.
     * @param callable $work fn(\local_coursemesh\sync_service): array stats
     * @throws api_exception When retrying may help.
     */
    protected function run_sync(string $what, callable $work): void {
        if (!config::is_configured()) {
            mtrace("local_coursemesh: not configured (service URL and API token), skipping $what.");
            return;
        }
        try {
            $stats = $work(\local_coursemesh\sync_service::from_config());
            mtrace("local_coursemesh: $what: pushed {$stats['pushed']}, deleted {$stats['deleted']}, "
                . "unchanged {$stats['unchanged']}.");
        } catch (api_exception $e) {
            mtrace("local_coursemesh: $what failed: [{$e->errorcode}] " . $e->getMessage());
            if ($e->is_retryable()) {
                throw $e;
            }
        }
    }
}
