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
 * Turns one course's Moodle records into the CourseMesh course document (the same JSON shape
 * the node's own Moodle reader produces; Docs/course-document.schema.json), and decides
 * whether the course may leave the site at all.
 *
 * Visibility rules, identical to the reader's: the site course (id 1, format "site",
 * category 0) is never shared; a hidden course is not shared; a course below any hidden
 * category (at any depth) is not shared. Additionally the admin may share only chosen
 * categories (and everything below them).
 *
 * Pure: no database, no network. Uses Moodle's format_text() and html_to_text() for the
 * summary, so outside Moodle those two must be provided (tests/fixtures/bootstrap.php).
 * Immutable and safe to reuse for any number of courses.
 *
 * @package    local_coursemesh
 * @copyright  2026 CourseMesh contributors
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
final class course_mapper {
    /** @var string Share every visible course. */
    public const SHARE_ALL = 'all';
    /** @var string Share visible courses in the chosen categories (and their subcategories) only. */
    public const SHARE_CATEGORIES = 'categories';

    /** @var string Exclusion: the front page. */
    public const EXCLUDED_SITE = 'site_course';
    /** @var string Exclusion: course.visible = 0. */
    public const EXCLUDED_HIDDEN_COURSE = 'hidden_course';
    /** @var string Exclusion: a category on the path is hidden. */
    public const EXCLUDED_HIDDEN_CATEGORY = 'hidden_category';
    /** @var string Exclusion: the category chain is missing or does not end at course.category. */
    public const EXCLUDED_NO_CATEGORY = 'no_category';
    /** @var string Exclusion: outside the categories the admin chose to share. */
    public const EXCLUDED_NOT_CHOSEN = 'category_not_shared';

    /** @var int Moodle's FORMAT_PLAIN. */
    private const FORMAT_PLAIN = 2;

    /** @var int[] Category ids chosen for sharing, as keys. */
    private array $chosen;

    /**
     * @param string $wwwroot The site's public base URL ($CFG->wwwroot).
     * @param string $defaultlang The site's default language ($CFG->lang), used when the course forces none.
     * @param string $sharemode SHARE_ALL or SHARE_CATEGORIES.
     * @param int[] $sharedcategoryids With SHARE_CATEGORIES: the chosen category ids.
     */
    public function __construct(
        private readonly string $wwwroot,
        private readonly string $defaultlang,
        private readonly string $sharemode = self::SHARE_ALL,
        array $sharedcategoryids = [],
    ) {
        $this->chosen = array_fill_keys(array_map('intval', $sharedcategoryids), true);
    }

    /**
     * Why this course must not be shared, or null when it may be.
     *
     * @param course_records $records
     * @return string|null One of the EXCLUDED_* constants, or null.
     */
    public function exclusion(course_records $records): ?string {
        $course = $records->course;
        if ((int) $course->id <= 1 || ($course->format ?? '') === 'site' || (int) ($course->category ?? 0) === 0) {
            return self::EXCLUDED_SITE;
        }
        if (!(int) ($course->visible ?? 0)) {
            return self::EXCLUDED_HIDDEN_COURSE;
        }
        $categories = array_values($records->categories);
        if (!$categories || (int) end($categories)->id !== (int) $course->category) {
            return self::EXCLUDED_NO_CATEGORY;
        }
        foreach ($categories as $category) {
            if (!(int) ($category->visible ?? 0)) {
                return self::EXCLUDED_HIDDEN_CATEGORY;
            }
        }
        if ($this->sharemode === self::SHARE_CATEGORIES) {
            foreach ($categories as $category) {
                if (isset($this->chosen[(int) $category->id])) {
                    return null;
                }
            }
            return self::EXCLUDED_NOT_CHOSEN;
        }
        return null;
    }

    /**
     * The course document, or null when the course must not be shared ({@see exclusion()}).
     *
     * @param course_records $records
     * @return array|null Keys in schema order; ready for json_encode.
     */
    public function map(course_records $records): ?array {
        if ($this->exclusion($records) !== null) {
            return null;
        }
        $course = $records->course;
        $id = (int) $course->id;
        $fullname = self::plain((string) ($course->fullname ?? ''));
        $shortname = self::plain((string) ($course->shortname ?? ''));

        $timemodified = max((int) ($course->timemodified ?? 0), $records->tagstimemodified);
        foreach ($records->categories as $category) {
            $timemodified = max($timemodified, (int) ($category->timemodified ?? 0));
        }
        $modules = [];
        foreach ($records->modules as $cm) {
            if (!self::module_is_visible($cm)) {
                continue;
            }
            $name = self::plain((string) ($cm->name ?? ''));
            if ($name === '') {
                continue;
            }
            $modules[] = ['type' => (string) $cm->modname, 'name' => $name];
            $timemodified = max($timemodified, (int) ($cm->timemodified ?? 0), (int) ($cm->added ?? 0));
        }

        return [
            'course_id' => $id,
            'url' => rtrim($this->wwwroot, '/') . '/course/view.php?id=' . $id,
            'full_name' => $fullname !== '' ? $fullname : $shortname,
            'short_name' => $shortname !== '' ? $shortname : (string) $id,
            'summary' => $this->summary_text((string) ($course->summary ?? ''), (int) ($course->summaryformat ?? 0),
                $records->context),
            'category_path' => array_values(array_map(
                static fn(\stdClass $c): string => self::plain((string) $c->name), $records->categories)),
            'tags' => self::clean_tags($records->tags),
            'language' => $this->language((string) ($course->lang ?? '')),
            'format' => (string) ($course->format ?? 'topics'),
            'start_date' => ((int) ($course->startdate ?? 0)) > 0 ? (int) $course->startdate : null,
            'end_date' => ((int) ($course->enddate ?? 0)) > 0 ? (int) $course->enddate : null,
            'time_modified' => $timemodified,
            'open_enrolment' => self::has_open_enrolment($records->enrolinstances),
            'enrolled_count' => max(0, $records->enrolledcount),
            'modules' => $modules,
        ];
    }

    /**
     * The summary as plain text: rendered by Moodle's format_text (Markdown, Moodle auto-format
     * and HTML all become HTML, without filters), then html_to_text without link lists, then
     * whitespace collapsed to single spaces.
     *
     * @param string $summary course.summary
     * @param int $format course.summaryformat (0 Moodle, 1 HTML, 2 plain, 4 Markdown)
     * @param mixed $context Course context for format_text, or null.
     * @return string
     */
    public function summary_text(string $summary, int $format, mixed $context = null): string {
        if (trim($summary) === '') {
            return '';
        }
        if ($format === self::FORMAT_PLAIN) {
            return self::collapse($summary);
        }
        $options = ['filter' => false, 'para' => false, 'noclean' => false];
        if ($context !== null) {
            $options['context'] = $context;
        }
        $html = format_text($summary, $format, $options);
        // Moodle's html2text upper-cases headings and bold text and wraps emphasis in
        // underscores; a search snippet wants the words as written.
        $html = preg_replace('~<(/?)h[1-6]\b[^>]*>~i', '<$1p>', $html);
        $html = preg_replace('~</?(?:b|strong|i|em|u)\b[^>]*>~i', '', $html);
        $html = preg_replace('~<(/?)th\b~i', '<$1td', $html);
        $text = html_to_text($html, 0, false);
        $text = str_replace('@@PLUGINFILE@@', '', $text);
        return self::collapse($text);
    }

    /**
     * The document's language: the course's forced language, else the site default, lower case.
     *
     * @param string $courselang course.lang
     * @return string
     */
    private function language(string $courselang): string {
        $lang = strtolower(trim($courselang));
        if ($lang === '') {
            $lang = strtolower(trim($this->defaultlang));
        }
        return $lang !== '' ? $lang : 'en';
    }

    /**
     * Whether a course module is visible to a guest on the course page: shown, not stealth,
     * not being deleted, and its module type enabled on the site.
     *
     * @param \stdClass $cm
     * @return bool
     */
    public static function module_is_visible(\stdClass $cm): bool {
        return (int) ($cm->visible ?? 0) === 1
            && (int) ($cm->visibleoncoursepage ?? 1) === 1
            && (int) ($cm->deletioninprogress ?? 0) === 0
            && (int) ($cm->moduleenabled ?? 1) === 1;
    }

    /**
     * True when an enabled self or guest enrolment instance exists.
     *
     * @param \stdClass[] $instances mdl_enrol rows.
     * @return bool
     */
    public static function has_open_enrolment(array $instances): bool {
        foreach ($instances as $instance) {
            if (in_array($instance->enrol ?? '', ['self', 'guest'], true) && (int) ($instance->status ?? 1) === 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Tag names without markup, blanks or repeats (case-insensitive), in their given order.
     *
     * @param string[] $tags
     * @return string[]
     */
    private static function clean_tags(array $tags): array {
        $seen = [];
        $clean = [];
        foreach ($tags as $tag) {
            $name = self::plain((string) $tag);
            $key = function_exists('mb_strtolower') ? mb_strtolower($name) : strtolower($name);
            if ($name === '' || isset($seen[$key])) {
                continue;
            }
            $seen[$key] = true;
            $clean[] = $name;
        }
        return $clean;
    }

    /**
     * A name as plain text: markup removed only when there is markup (so "A < B" survives),
     * entities resolved, whitespace collapsed.
     *
     * @param string $value
     * @return string
     */
    public static function plain(string $value): string {
        if (preg_match('~<[a-z/!]~i', $value)) {
            $value = strip_tags($value);
        }
        return self::collapse(html_entity_decode($value, ENT_QUOTES | ENT_HTML5, 'UTF-8'));
    }

    /**
     * Collapses all whitespace (including no-break spaces) to single spaces and trims.
     *
     * @param string $text
     * @return string
     */
    private static function collapse(string $text): string {
        $collapsed = preg_replace('~[\s\x{00A0}\x{200B}]+~u', ' ', $text);
        return trim($collapsed ?? preg_replace('~\s+~', ' ', $text));
    }
}
