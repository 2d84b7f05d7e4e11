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
 * Brings the CourseMesh node in line with this site: pushes the documents of shareable
 * courses that changed since the last accepted push, and deletes courses that are gone or
 * no longer shareable. Remembers what was accepted in local_coursemesh_pushed.
 *
 * Moodle-only, blocking (HTTP to the service). Runs inside tasks only, never in a page request.
 *
 * @package    local_coursemesh
 * @copyright  2026 CourseMesh contributors
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
final class sync_service {
    /** @var int Courses read per round of a category or full resync (bounds memory). */
    public const ROUND_SIZE = 200;

    /**
     * @param api_client $client
     * @param course_mapper $mapper
     * @param course_loader $loader
     */
    public function __construct(
        private readonly api_client $client,
        private readonly course_mapper $mapper,
        private readonly course_loader $loader = new course_loader(),
    ) {
    }

    /**
     * Builds the service from the plugin settings.
     *
     * @return self
     */
    public static function from_config(): self {
        return new self(config::client(), config::mapper());
    }

    /**
     * Pushes or deletes the given courses.
     *
     * @param int[] $courseids
     * @param bool $deleteunknown Also send DELETE for unshareable courses never pushed from here
     *     (events do: the service may hold a copy from the node's own Moodle reader).
     * @return array{pushed:int, deleted:int, unchanged:int}
     * @throws api_exception When the service refuses or cannot be reached.
     */
    public function sync_courses(array $courseids, bool $deleteunknown): array {
        global $DB;
        $stats = ['pushed' => 0, 'deleted' => 0, 'unchanged' => 0];
        foreach (array_chunk(array_values(array_unique(array_map('intval', $courseids))), self::ROUND_SIZE) as $round) {
            $pushed = $DB->get_records_list('local_coursemesh_pushed', 'courseid', $round, '', 'courseid, id, contenthash');
            $documents = [];
            $hashes = [];
            foreach ($round as $courseid) {
                $records = $this->loader->load($courseid);
                $document = $records ? $this->mapper->map($records) : null;
                if ($document === null) {
                    if (isset($pushed[$courseid]) || $deleteunknown) {
                        $this->client->delete_course($courseid);
                        $DB->delete_records('local_coursemesh_pushed', ['courseid' => $courseid]);
                        $stats['deleted']++;
                    }
                    continue;
                }
                $hash = hash('sha256', json_encode($document, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES
                    | JSON_INVALID_UTF8_SUBSTITUTE));
                if (isset($pushed[$courseid]) && $pushed[$courseid]->contenthash === $hash) {
                    $stats['unchanged']++;
                    continue;
                }
                $documents[] = $document;
                $hashes[$courseid] = $hash;
            }
            if (!$documents) {
                continue;
            }
            $this->client->push_courses($documents);
            $now = time();
            foreach ($hashes as $courseid => $hash) {
                if (isset($pushed[$courseid])) {
                    $DB->update_record('local_coursemesh_pushed',
                        (object) ['id' => $pushed[$courseid]->id, 'contenthash' => $hash, 'timepushed' => $now]);
                } else {
                    $DB->insert_record('local_coursemesh_pushed',
                        (object) ['courseid' => $courseid, 'contenthash' => $hash, 'timepushed' => $now]);
                }
            }
            $stats['pushed'] += count($documents);
        }
        return $stats;
    }

    /**
     * Re-syncs every course in a category and all its subcategories (a rename, move or
     * visibility change of a category changes their documents).
     *
     * @param int $categoryid
     * @return array{pushed:int, deleted:int, unchanged:int}
     */
    public function sync_category(int $categoryid): array {
        global $DB;
        $path = $DB->get_field('course_categories', 'path', ['id' => $categoryid]);
        if ($path === false) {
            return ['pushed' => 0, 'deleted' => 0, 'unchanged' => 0];
        }
        $ids = $DB->get_fieldset_sql(
            "SELECT c.id FROM {course} c JOIN {course_categories} cc ON cc.id = c.category
              WHERE cc.id = :id OR " . $DB->sql_like('cc.path', ':path'),
            ['id' => $categoryid, 'path' => $path . '/%']);
        return $this->sync_courses($ids, false);
    }

    /**
     * Re-syncs every course of the site and deletes pushed courses that no longer exist.
     *
     * @return array{pushed:int, deleted:int, unchanged:int}
     */
    public function full_resync(): array {
        global $DB;
        $ids = $DB->get_fieldset_select('course', 'id', 'id <> :site', ['site' => SITEID]);
        $gone = $DB->get_fieldset_sql("SELECT p.courseid FROM {local_coursemesh_pushed} p
                                    LEFT JOIN {course} c ON c.id = p.courseid WHERE c.id IS NULL");
        return $this->sync_courses(array_merge($ids, $gone), false);
    }
}
