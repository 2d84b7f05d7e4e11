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

use local_coursemesh\output\search_page;
use PHPUnit\Framework\TestCase;

/**
 * The search page's data: untrusted service output made safe, facets as filter links, pagination.
 *
 * @package    local_coursemesh
 * @copyright  2026 CourseMesh contributors
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 * @covers     \local_coursemesh\output\search_page
 */
final class search_page_test extends TestCase {
    private const BASE = 'https://moodle.example.edu/local/coursemesh/index.php?courseid=14';

    protected function setUp(): void {
        if (isset($GLOBALS['CFG']->dirroot)) {
            $this->markTestSkipped('Asserts the string stubs of tests/fixtures/bootstrap.php; run it with tests/run.sh.');
        }
    }

    private static function answer(array $overrides = []): array {
        return array_merge([
            'query' => 'organic chemistry', 'total' => 35, 'page' => 2, 'page_size' => 10, 'took_ms' => 7,
            'nodes_asked' => 4, 'sites' => 3, 'partial' => false, 'missing_terms' => [],
            'results' => [[
                'id' => 'x:3', 'title' => '<script>alert(1)</script>', 'url' => 'javascript:alert(1)',
                'site' => ['name' => 'Uni', 'url' => 'https://uni.example'], 'country' => 'ES', 'language' => 'es',
                'category' => 'Science', 'tags' => ['chemistry'],
                'snippet' => 'Organic', 'snippet_html' => '<mark>Organic</mark> &lt;b&gt; <img src=x onerror=alert(1)> <mark>x',
                'score' => 1.5, 'open_enrolment' => true, 'start_date' => 1756684800,
            ]],
            'facets' => ['language' => [['value' => 'es', 'count' => 3]], 'site' => [['value' => 'Uni', 'count' => 3]]],
        ], $overrides);
    }

    private static function export(array $answer, string $lang = '', ?string $error = null): array {
        $page = new search_page(self::BASE, 'organic chemistry', 2, $lang, '', $answer, $error, 'ES');
        return $page->export_for_template(new \renderer_base());
    }

    public function test_snippet_keeps_only_balanced_mark_tags(): void {
        $this->assertSame('<mark>Organic</mark> &lt;b&gt;  <mark>x</mark>',
            search_page::safe_snippet('<mark>Organic</mark> &lt;b&gt; <img src=x onerror=alert(1)> <mark>x'));
        $this->assertSame('a &amp; b', search_page::safe_snippet('a &amp; b'));
        $this->assertSame('x', search_page::safe_snippet('</mark>x'), 'a stray closing tag is dropped');
    }

    public function test_only_http_links_survive(): void {
        $data = self::export(self::answer());
        $result = $data['results'][0];
        $this->assertSame('', $result['url']);
        $this->assertFalse($result['hasurl']);
        $this->assertSame('<script>alert(1)</script>', $result['title'], 'escaped by Mustache, not here');
        $this->assertSame('https://uni.example', $result['siteurl']);
        $this->assertStringNotContainsString('<img', $result['snippethtml']);
        $this->assertSame('starts:2025-09-01', $result['startdate']);
    }

    public function test_summary_facets_and_pages(): void {
        $data = self::export(self::answer(), 'es');
        $this->assertSame('resultsummary:{"total":35,"sites":3,"ms":7}', $data['summary']);
        $language = $data['facets'][0];
        $this->assertTrue($language['values'][0]['active']);
        $this->assertStringNotContainsString('lang=', $language['values'][0]['link'], 'clicking an active facet removes it');
        $this->assertFalse($data['facets'][1]['values'][0]['haslink'], 'site facet is a count, not a filter');
        $labels = array_column($data['pages'], 'label');
        $this->assertSame(['previous', '1', '2', '3', '4', 'next'], $labels);
        $this->assertSame([false, false, true, false, false, false], array_column($data['pages'], 'current'));
        $this->assertSame('https://moodle.example.edu/local/coursemesh/index.php?courseid=14&q=organic%20chemistry&lang=es&page=3',
            $data['pages'][5]['link']);
        $this->assertSame([['name' => 'courseid', 'value' => '14']], $data['hidden']);
        $this->assertStringContainsString('country=ES', $data['homecountrylink']);
    }

    public function test_error_and_empty_states(): void {
        $error = self::export(self::answer(), '', 'serviceunavailable');
        $this->assertSame('serviceunavailable', $error['error']);
        $this->assertFalse($error['hasresults']);
        $empty = self::export(self::answer(['total' => 0, 'results' => [], 'facets' => [], 'missing_terms' => ['zzz']]));
        $this->assertTrue($empty['noresults']);
        $this->assertSame([], $empty['pages']);
        $this->assertSame('missingterms:zzz', $empty['missingterms']);
    }
}
