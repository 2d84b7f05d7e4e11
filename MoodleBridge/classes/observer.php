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

namespace local_coursemesh;

use local_coursemesh\task\sync_category;
use local_coursemesh\task\sync_course;

/**
 * Event observers. They only queue ad-hoc tasks (deduplicated), so a slow or unreachable
 * CourseMesh service never slows down the teacher's request.
 *
 * @package    local_coursemesh
 * @copyright  2026 CourseMesh contributors
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
final class observer {
    /**
     * Course created, updated, deleted or restored.
     *
     * @param \core\event\base $event
     */
    public static function course_changed(\core\event\base $event): void {
        self::queue_course((int) $event->objectid);
    }

    /**
     * Course module created, updated or deleted.
     *
     * @param \core\event\base $event
     */
    public static function module_changed(\core\event\base $event): void {
        self::queue_course((int) $event->courseid);
    }

    /**
     * Tag added to or removed from an item: only course tags matter.
     *
     * @param \core\event\base $event
     */
    public static function tag_changed(\core\event\base $event): void {
        if (($event->other['itemtype'] ?? '') === 'course') {
            self::queue_course((int) ($event->other['itemid'] ?? 0));
        }
    }

    /**
     * Category updated (renamed, moved, shown or hidden).
     *
     * @param \core\event\base $event
     */
    public static function category_changed(\core\event\base $event): void {
        if (!config::is_configured()) {
            return;
        }
        $task = new sync_category();
        $task->set_custom_data(['categoryid' => (int) $event->objectid]);
        \core\task\manager::queue_adhoc_task($task, true);
    }

    /**
     * Queues one course's sync unless it is the front page or the plugin is not configured.
     *
     * @param int $courseid
     */
    private static function queue_course(int $courseid): void {
        if ($courseid <= 0 || $courseid === (int) SITEID || !config::is_configured()) {
            return;
        }
        $task = new sync_course();
        $task->set_custom_data(['courseid' => $courseid]);
        \core\task\manager::queue_adhoc_task($task, true);
    }
}
