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

defined('MOODLE_INTERNAL') || require_once(__DIR__ . '/fixtures/bootstrap.php');

use PHPUnit\Framework\TestCase;

/**
 * The mapper from Moodle records to course documents, on fixture records shaped like the
 * shared Moodle 5.0 fixture (Science > Physics, a hidden "Archived courses" category ...).
 *
 * @package    local_coursemesh
 * @copyright  2026 CourseMesh contributors
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 * @covers     \local_coursemesh\course_mapper
 */
final class course_mapper_test extends TestCase {
    private const WWWROOT = 'https://moodle.example.edu';

    private static function category(int $id, string $name, int $visible = 1, int $modified = 1700000000): \stdClass {
        return (object) ['id' => $id, 'name' => $name, 'visible' => $visible, 'timemodified' => $modified];
    }

    private static function course(array $overrides = []): \stdClass {
        return (object) array_merge([
            'id' => 14, 'category' => 3, 'fullname' => 'Introduction to Physics', 'shortname' => 'PHYS101',
            'summary' => '<p>Mechanics, <b>waves</b> &amp; energy.</p>', 'summaryformat' => 1,
            'format' => 'topics', 'startdate' => 1756684800, 'enddate' => 0, 'visible' => 1, 'lang' => '',
            'timemodified' => 1760000000,
        ], $overrides);
    }

    private static function records(array $course = [], ?array $categories = null, array $extra = []): course_records {
        return new course_records(
            self::course($course),
            $categories ?? [self::category(2, 'Science'), self::category(3, 'Physics')],
            $extra['tags'] ?? [],
            $extra['modules'] ?? [],
            $extra['enrol'] ?? [],
            $extra['enrolled'] ?? 0,
            $extra['tagstime'] ?? 0,
        );
    }

    private static function mapper(string $mode = course_mapper::SHARE_ALL, array $chosen = []): course_mapper {
        return new course_mapper(self::WWWROOT . '/', 'en', $mode, $chosen);
    }

    public function test_visible_course_becomes_a_complete_document_in_schema_order(): void {
        $doc = self::mapper()->map(self::records());
        $this->assertSame(['course_id', 'url', 'full_name', 'short_name', 'summary', 'category_path', 'tags',
            'language', 'format', 'start_date', 'end_date', 'time_modified', 'open_enrolment', 'enrolled_count',
            'modules'], array_keys($doc));
        $this->assertSame(14, $doc['course_id']);
        $this->assertSame('https://moodle.example.edu/course/view.php?id=14', $doc['url']);
        $this->assertSame('Introduction to Physics', $doc['full_name']);
        $this->assertSame('PHYS101', $doc['short_name']);
        $this->assertSame(['Science', 'Physics'], $doc['category_path']);
        $this->assertSame('en', $doc['language']);
        $this->assertSame(1756684800, $doc['start_date']);
        $this->assertNull($doc['end_date'], 'enddate 0 means not set');
        $this->assertSame(1760000000, $doc['time_modified']);
        $this->assertFalse($doc['open_enrolment']);
    }

    public function test_html_summary_becomes_plain_text_with_entities_resolved(): void {
        $doc = self::mapper()->map(self::records());
        $this->assertSame('Mechanics, waves & energy.', $doc['summary']);
    }

    public function test_markdown_summary_is_rendered_then_reduced_to_plain_text(): void {
        $markdown = "# Historia de España\n\nUn curso **intensivo** sobre la *Edad Media*.\n\n"
            . "- Fuentes\n- [Mapas](https://example.org/mapas)";
        $doc = self::mapper()->map(self::records(['summary' => $markdown, 'summaryformat' => 4, 'lang' => 'es']));
        $summary = $doc['summary'];
        foreach (['#', '**', '*', '[', '](', '<', '>'] as $markup) {
            $this->assertStringNotContainsString($markup, $summary, "markup '$markup' left in: $summary");
        }
        foreach (['Historia de España', 'intensivo', 'Edad Media', 'Fuentes', 'Mapas'] as $word) {
            $this->assertStringContainsString($word, $summary);
        }
        $this->assertStringNotContainsString('HISTORIA', $summary, 'headings keep their case');
        $this->assertStringNotContainsString('  ', $summary);
        $this->assertSame('es', $doc['language']);
    }

    public function test_plain_and_empty_summaries(): void {
        $plain = self::mapper()->map(self::records(['summary' => "Line one\n\n  line <two>", 'summaryformat' => 2]));
        $this->assertSame('Line one line <two>', $plain['summary'], 'plain text is kept literally');
        $empty = self::mapper()->map(self::records(['summary' => null]));
        $this->assertSame('', $empty['summary']);
    }

    public function test_hidden_course_is_not_shared(): void {
        $records = self::records(['visible' => 0]);
        $this->assertSame(course_mapper::EXCLUDED_HIDDEN_COURSE, self::mapper()->exclusion($records));
        $this->assertNull(self::mapper()->map($records));
    }

    public function test_course_under_a_hidden_category_at_any_depth_is_not_shared(): void {
        $hiddentop = self::records([], [self::category(2, 'Science', 0), self::category(3, 'Physics')]);
        $this->assertSame(course_mapper::EXCLUDED_HIDDEN_CATEGORY, self::mapper()->exclusion($hiddentop));
        $this->assertNull(self::mapper()->map($hiddentop));
        $hiddenown = self::records(['category' => 11], [self::category(11, 'Archived courses', 0)]);
        $this->assertNull(self::mapper()->map($hiddenown));
    }

    public function test_site_course_is_never_shared(): void {
        $site = self::records(['id' => 1, 'category' => 0, 'format' => 'site'], []);
        $this->assertSame(course_mapper::EXCLUDED_SITE, self::mapper()->exclusion($site));
        $this->assertNull(self::mapper()->map($site));
    }

    public function test_category_chain_must_end_at_the_course_category(): void {
        $records = self::records(['category' => 9], [self::category(2, 'Science')]);
        $this->assertSame(course_mapper::EXCLUDED_NO_CATEGORY, self::mapper()->exclusion($records));
    }

    public function test_chosen_categories_share_their_subcategories_only(): void {
        $mapper = self::mapper(course_mapper::SHARE_CATEGORIES, [2]);
        $this->assertNotNull($mapper->map(self::records()), 'Physics is below the chosen Science');
        $other = self::records(['category' => 7], [self::category(6, 'Humanities'), self::category(7, 'History')]);
        $this->assertSame(course_mapper::EXCLUDED_NOT_CHOSEN, $mapper->exclusion($other));
        $none = self::mapper(course_mapper::SHARE_CATEGORIES, []);
        $this->assertNull($none->map(self::records()), 'no category chosen shares nothing');
    }

    public function test_tags_are_cleaned_and_deduplicated_in_order(): void {
        $doc = self::mapper()->map(self::records([], null,
            ['tags' => ['Physics', 'mechanics', 'physics', ' ', 'Energy &amp; Work'], 'tagstime' => 1765000000]));
        $this->assertSame(['Physics', 'mechanics', 'Energy & Work'], $doc['tags']);
        $this->assertSame(1765000000, $doc['time_modified'], 'a newer tag change moves time_modified');
    }

    public function test_only_modules_a_guest_sees_are_listed(): void {
        $modules = [
            (object) ['modname' => 'forum', 'name' => 'Announcements', 'visible' => 1, 'visibleoncoursepage' => 1,
                'deletioninprogress' => 0, 'added' => 1761000000],
            (object) ['modname' => 'quiz', 'name' => 'Hidden quiz', 'visible' => 0, 'visibleoncoursepage' => 1,
                'deletioninprogress' => 0],
            (object) ['modname' => 'page', 'name' => 'Stealth page', 'visible' => 1, 'visibleoncoursepage' => 0,
                'deletioninprogress' => 0],
            (object) ['modname' => 'url', 'name' => 'Being deleted', 'visible' => 1, 'visibleoncoursepage' => 1,
                'deletioninprogress' => 1],
            (object) ['modname' => 'book', 'name' => 'Disabled type', 'visible' => 1, 'visibleoncoursepage' => 1,
                'deletioninprogress' => 0, 'moduleenabled' => 0],
            (object) ['modname' => 'resource', 'name' => 'Lab <em>sheet</em>', 'visible' => 1,
                'visibleoncoursepage' => 1, 'deletioninprogress' => 0],
        ];
        $doc = self::mapper()->map(self::records([], null, ['modules' => $modules]));
        $this->assertSame([['type' => 'forum', 'name' => 'Announcements'], ['type' => 'resource', 'name' => 'Lab sheet']],
            $doc['modules']);
        $this->assertSame(1761000000, $doc['time_modified']);
    }

    public function test_open_enrolment_needs_an_enabled_self_or_guest_instance(): void {
        $disabled = [(object) ['enrol' => 'guest', 'status' => 1], (object) ['enrol' => 'manual', 'status' => 0],
            (object) ['enrol' => 'self', 'status' => 1]];
        $this->assertFalse(self::mapper()->map(self::records([], null, ['enrol' => $disabled]))['open_enrolment']);
        $self = array_merge($disabled, [(object) ['enrol' => 'self', 'status' => 0]]);
        $doc = self::mapper()->map(self::records([], null, ['enrol' => $self, 'enrolled' => 18]));
        $this->assertTrue($doc['open_enrolment']);
        $this->assertSame(18, $doc['enrolled_count']);
    }

    public function test_language_falls_back_to_site_default_and_names_lose_markup(): void {
        $mapper = new course_mapper(self::WWWROOT, 'CA');
        $doc = $mapper->map(self::records(['fullname' => '<span lang="ca">Química</span>  bàsica', 'lang' => '']));
        $this->assertSame('ca', $doc['language']);
        $this->assertSame('Química bàsica', $doc['full_name']);
        $this->assertSame('A < B', course_mapper::plain('A < B'), 'a lone < is text, not markup');
    }

    public function test_document_satisfies_the_shared_schema_constraints(): void {
        $file = dirname(__DIR__, 2) . '/Docs/course-document.schema.json';
        if (!is_file($file)) {
            $this->markTestSkipped('Docs/course-document.schema.json ships with the CourseMesh repository, not the plugin zip.');
        }
        $schema = json_decode(file_get_contents($file), true);
        $doc = self::mapper()->map(self::records([], null, ['modules' => [(object) ['modname' => 'page',
            'name' => 'Notes', 'visible' => 1, 'visibleoncoursepage' => 1, 'deletioninprogress' => 0]]]));
        $this->assertSame($schema['required'], array_keys($doc));
        $this->assertSame([], array_diff(array_keys($doc), array_keys($schema['properties'])));
        $this->assertMatchesRegularExpression('~' . $schema['properties']['url']['pattern'] . '~', $doc['url']);
        $this->assertMatchesRegularExpression('~' . $schema['properties']['language']['pattern'] . '~', $doc['language']);
        $this->assertGreaterThanOrEqual($schema['properties']['course_id']['minimum'], $doc['course_id']);
        $json = json_encode($doc, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES);
        $this->assertStringContainsString('"end_date":null', $json);
    }
}
