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
 * Everything the mapper needs about one course, as read from Moodle: plain records, no
 * database handle. {@see course_loader} fills it inside Moodle; tests build it by hand.
 *
 * @package    local_coursemesh
 * @copyright  2026 CourseMesh contributors
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
final class course_records {
    /**
     * @param \stdClass $course A mdl_course row (id, category, fullname, shortname, summary,
     *     summaryformat, format, startdate, enddate, visible, lang, timemodified).
     * @param \stdClass[] $categories The mdl_course_categories rows on the course's path, top
     *     level first, the course's own category last (id, name, visible, timemodified).
     * @param string[] $tags Course tag names as displayed (core_tag_tag raw names).
     * @param \stdClass[] $modules Course modules in course order (modname, name, visible,
     *     visibleoncoursepage, deletioninprogress, and optionally moduleenabled, timemodified).
     * @param \stdClass[] $enrolinstances mdl_enrol rows of the course (enrol, status).
     * @param int $enrolledcount Active enrolments (method enabled, not suspended, within dates).
     * @param int $tagstimemodified Latest mdl_tag_instance.timemodified of the course's tags, 0 if none.
     * @param mixed $context The course context to format the summary in (null outside Moodle).
     */
    public function __construct(
        /** @var \stdClass The mdl_course row. */
        public readonly \stdClass $course,
        /** @var \stdClass[] Categories top-down. */
        public readonly array $categories = [],
        /** @var string[] Tag names. */
        public readonly array $tags = [],
        /** @var \stdClass[] Course modules. */
        public readonly array $modules = [],
        /** @var \stdClass[] Enrolment instances. */
        public readonly array $enrolinstances = [],
        /** @var int Active enrolments. */
        public readonly int $enrolledcount = 0,
        /** @var int Latest tag instance change. */
        public readonly int $tagstimemodified = 0,
        /** @var mixed Course context or null. */
        public readonly mixed $context = null,
    ) {
    }
}
