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
 * Federated course search across CourseMesh sites, inside Moodle.
 *
 * @package    local_coursemesh
 * @copyright  2026 CourseMesh contributors
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

require(__DIR__ . '/../../config.php');

$courseid = optional_param('courseid', 0, PARAM_INT);
$query = trim(optional_param('q', '', PARAM_TEXT));
$page = max(1, optional_param('page', 1, PARAM_INT));
$lang = optional_param('lang', '', PARAM_ALPHANUMEXT);
$country = optional_param('country', '', PARAM_ALPHA);

$baseparams = $courseid ? ['courseid' => $courseid] : [];
$url = new moodle_url('/local/coursemesh/index.php', $baseparams);
if ($courseid && $courseid !== SITEID) {
    $course = get_course($courseid);
    require_login($course);
    $context = context_course::instance($course->id);
} else {
    require_login();
    $context = context_system::instance();
}
require_capability('local/coursemesh:search', $context);

$PAGE->set_url(new moodle_url($url, array_filter(['q' => $query, 'page' => $page > 1 ? $page : null,
    'lang' => $lang, 'country' => $country])));
$PAGE->set_context($context);
$PAGE->set_pagelayout($courseid ? 'incourse' : 'standard');
$PAGE->set_title(get_string('searchtitle', 'local_coursemesh'));
$PAGE->set_heading($courseid ? format_string($course->fullname) : get_string('searchtitle', 'local_coursemesh'));

$result = null;
$error = null;
if ($query !== '') {
    try {
        $result = \local_coursemesh\config::client()->search($query, $page, $lang, $country);
    } catch (\local_coursemesh\api_exception $e) {
        $error = $e->status === 400 ? get_string('badquery', 'local_coursemesh', $e->getMessage())
            : get_string('serviceunavailable', 'local_coursemesh');
        debugging('CourseMesh search failed: [' . $e->errorcode . '] ' . $e->getMessage(), DEBUG_DEVELOPER);
    }
}

$renderable = new \local_coursemesh\output\search_page($url->out(false), $query, $page, $lang, strtoupper($country),
    $result, $error, \local_coursemesh\config::country());
$output = $PAGE->get_renderer('local_coursemesh');

echo $OUTPUT->header();
echo $OUTPUT->heading(get_string('searchtitle', 'local_coursemesh'), 2);
echo $output->render($renderable);
echo $OUTPUT->footer();
