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

/**
 * Event observers: every change that can alter what a course document shows queues an ad-hoc task.
 *
 * @package    local_coursemesh
 * @copyright  2026 CourseMesh contributors
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

$observers = [];
foreach ([
    '\core\event\course_created' => 'course_changed',
    '\core\event\course_updated' => 'course_changed',
    '\core\event\course_deleted' => 'course_changed',
    '\core\event\course_restored' => 'course_changed',
    '\core\event\course_category_updated' => 'category_changed',
    '\core\event\tag_added' => 'tag_changed',
    '\core\event\tag_removed' => 'tag_changed',
    '\core\event\course_module_created' => 'module_changed',
    '\core\event\course_module_updated' => 'module_changed',
    '\core\event\course_module_deleted' => 'module_changed',
] as $eventname => $method) {
    $observers[] = [
        'eventname' => $eventname,
        'callback' => '\local_coursemesh\observer::' . $method,
        'internal' => false, // Run after the transaction commits, so the task sees the change.
    ];
}
