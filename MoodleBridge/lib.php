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
 * Navigation and settings callbacks of local_coursemesh.
 *
 * @package    local_coursemesh
 * @copyright  2026 CourseMesh contributors
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

/**
 * Adds "Search other campuses" to the navigation for users allowed to search: inside a course
 * where they hold local/coursemesh:search, or site-wide when they hold it at system level.
 *
 * @param global_navigation $navigation
 */
function local_coursemesh_extend_navigation(global_navigation $navigation) {
    global $PAGE;
    if (!isloggedin() || isguestuser() || trim((string) get_config('local_coursemesh', 'serviceurl')) === '') {
        return;
    }
    $params = [];
    $course = $PAGE->course ?? null;
    if ($course && (int) $course->id !== SITEID
            && has_capability('local/coursemesh:search', context_course::instance($course->id))) {
        $params['courseid'] = $course->id;
    } else if (!has_capability('local/coursemesh:search', context_system::instance())) {
        return;
    }
    $node = navigation_node::create(get_string('searchnav', 'local_coursemesh'),
        new moodle_url('/local/coursemesh/index.php', $params), navigation_node::TYPE_CUSTOM, null,
        'local_coursemesh_search', new pix_icon('i/search', ''));
    $node->showinflatnavigation = true;
    $navigation->add_node($node);
}

/**
 * Settings callback: a change of what is shared is applied at once by a queued full resync.
 *
 * @param string $name Full setting name.
 */
function local_coursemesh_share_settings_updated($name = '') {
    if (\local_coursemesh\config::is_configured()) {
        \core\task\manager::queue_adhoc_task(new \local_coursemesh\task\resync_all(), true);
    }
}

/**
 * Adds "Search other campuses" to a course's navigation (the course "More" menu in Moodle 4.x)
 * for users who hold local/coursemesh:search in that course.
 *
 * @param navigation_node $navigation The course navigation node.
 * @param stdClass $course
 * @param context $context The course context.
 */
function local_coursemesh_extend_navigation_course($navigation, $course, $context) {
    if ((int) $course->id === (int) SITEID || trim((string) get_config('local_coursemesh', 'serviceurl')) === ''
            || !has_capability('local/coursemesh:search', $context)) {
        return;
    }
    $navigation->add(get_string('searchnav', 'local_coursemesh'),
        new moodle_url('/local/coursemesh/index.php', ['courseid' => $course->id]),
        navigation_node::TYPE_SETTING, null, 'local_coursemesh_search', new pix_icon('i/search', ''));
}
