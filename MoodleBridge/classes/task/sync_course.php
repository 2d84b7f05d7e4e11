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
 * Ad-hoc task: push one course's document, or delete it from CourseMesh when the course is
 * gone or no longer shareable. Custom data: {"courseid": int}.
 *
 * @package    local_coursemesh
 * @copyright  2026 CourseMesh contributors
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class sync_course extends \core\task\adhoc_task {
    use sync_task_runner;

    /**
     * Name shown in the task logs.
     *
     * @return string
     */
    public function get_name(): string {
        return get_string('tasksynccourse', 'local_coursemesh');
    }

    /**
     * Runs the sync; rethrows retryable failures so Moodle retries with backoff.
     */
    public function execute() {
        $courseid = (int) ($this->get_custom_data()->courseid ?? 0);
        $this->run_sync("course $courseid",
            static fn(\local_coursemesh\sync_service $sync): array => $sync->sync_courses([$courseid], true));
    }
}
