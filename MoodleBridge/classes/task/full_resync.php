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

/**
 * Scheduled task (nightly by default): pushes every shareable course whose document changed,
 * deletes courses that disappeared or stopped being shareable. Catches anything the event
 * observers missed (changes made by direct database edits, failed tasks given up on).
 *
 * @package    local_coursemesh
 * @copyright  2026 CourseMesh contributors
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class full_resync extends \core\task\scheduled_task {
    use sync_task_runner;

    /**
     * Name shown in the scheduled tasks list.
     *
     * @return string
     */
    public function get_name(): string {
        return get_string('taskfullresync', 'local_coursemesh');
    }

    /**
     * Runs the resync; a retryable failure makes the task manager report a failure and retry.
     */
    public function execute() {
        $this->run_sync('full resync',
            static fn(\local_coursemesh\sync_service $sync): array => $sync->full_resync());
    }
}
