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

/**
 * Reads one course's records from Moodle (course row, category chain, tags, visible modules,
 * enrolment instances, active enrolment count) into a {@see course_records}. Moodle-only;
 * read-only; no personal data is read beyond a count.
 *
 * @package    local_coursemesh
 * @copyright  2026 CourseMesh contributors
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
final class course_loader {
    /**
     * The records of a course, or null when the course does not exist (any more).
     *
     * @param int $courseid
     * @return course_records|null
     */
    public function load(int $courseid): ?course_records {
        global $DB;
        $course = $DB->get_record('course', ['id' => $courseid]);
        if (!$course) {
            return null;
        }
        if ((int) $course->id === (int) SITEID || (int) $course->category === 0) {
            return new course_records($course);
        }
        return new course_records(
            $course,
            $this->categories((int) $course->category),
            array_values(\core_tag_tag::get_item_tags_array('core', 'course', $courseid)),
            $this->modules($course),
            array_values($DB->get_records('enrol', ['courseid' => $courseid], 'sortorder', 'id, enrol, status')),
            $this->active_enrolments($courseid),
            (int) $DB->get_field_sql("SELECT MAX(timemodified) FROM {tag_instance}
                                       WHERE component = 'core' AND itemtype = 'course' AND itemid = ?", [$courseid]),
            \context_course::instance($courseid, IGNORE_MISSING) ?: null,
        );
    }

    /**
     * The category rows from the top level down to $categoryid, [] when the chain is broken.
     *
     * @param int $categoryid
     * @return \stdClass[]
     */
    private function categories(int $categoryid): array {
        global $DB;
        $own = $DB->get_record('course_categories', ['id' => $categoryid], 'id, path');
        if (!$own) {
            return [];
        }
        $ids = array_filter(array_map('intval', explode('/', $own->path)));
        $rows = $DB->get_records_list('course_categories', 'id', $ids, '', 'id, name, visible, timemodified');
        $chain = [];
        foreach ($ids as $id) {
            if (!isset($rows[$id])) {
                return [];
            }
            $chain[] = $rows[$id];
        }
        return $chain;
    }

    /**
     * The course's modules in course-page order, with what the mapper needs to judge visibility.
     *
     * @param \stdClass $course
     * @return \stdClass[]
     */
    private function modules(\stdClass $course): array {
        global $DB;
        $enabled = $DB->get_records_menu('modules', null, '', 'name, visible');
        $modules = [];
        foreach (get_fast_modinfo($course, -1)->get_cms() as $cm) {
            $modules[] = (object) [
                'modname' => $cm->modname,
                'name' => $cm->name,
                'visible' => (int) $cm->visible,
                'visibleoncoursepage' => (int) $cm->visibleoncoursepage,
                'deletioninprogress' => (int) $cm->deletioninprogress,
                'moduleenabled' => (int) ($enabled[$cm->modname] ?? 0),
                'added' => (int) $cm->added,
            ];
        }
        return $modules;
    }

    /**
     * Active enrolments: method enabled, enrolment not suspended, now within its dates.
     *
     * @param int $courseid
     * @return int Distinct users.
     */
    private function active_enrolments(int $courseid): int {
        global $DB;
        $now = time();
        return (int) $DB->count_records_sql(
            "SELECT COUNT(DISTINCT ue.userid)
               FROM {user_enrolments} ue
               JOIN {enrol} e ON e.id = ue.enrolid
              WHERE e.courseid = :courseid AND e.status = 0 AND ue.status = 0
                AND ue.timestart <= :now1 AND (ue.timeend = 0 OR ue.timeend > :now2)",
            ['courseid' => $courseid, 'now1' => $now, 'now2' => $now]);
    }
}
