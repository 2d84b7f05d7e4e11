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

namespace local_coursemesh\output;

/**
 * The federated search page: form, result list, facets and pagination, from one
 * GET /api/v1/search answer. Everything the service returned is treated as untrusted: text is
 * escaped by Mustache, snippet_html keeps only <mark> tags, links must be http(s).
 *
 * @package    local_coursemesh
 * @copyright  2026 CourseMesh contributors
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
final class search_page implements \renderable, \templatable {
    /** @var int Page links shown on each side of the current page. */
    public const PAGE_WINDOW = 3;

    /**
     * @param string $baseurl The page's own URL with its fixed parameters (e.g. courseid).
     * @param string $query Keywords ('' shows only the form).
     * @param int $page 1-based page.
     * @param string $lang Language filter or ''.
     * @param string $country Country filter or ''.
     * @param array|null $result The decoded search answer, null when there is none.
     * @param string|null $error What went wrong, already a user-facing sentence.
     * @param string $homecountry This site's country, offered as a one-click filter.
     */
    public function __construct(
        private readonly string $baseurl,
        private readonly string $query,
        private readonly int $page = 1,
        private readonly string $lang = '',
        private readonly string $country = '',
        private readonly ?array $result = null,
        private readonly ?string $error = null,
        private readonly string $homecountry = '',
    ) {
    }

    /**
     * Data for templates/search_page.mustache.
     *
     * @param \renderer_base $output
     * @return array
     */
    public function export_for_template(\renderer_base $output): array {
        $data = [
            'action' => $this->baseurl,
            'hidden' => $this->hidden_params(),
            'query' => $this->query,
            'lang' => $this->lang,
            'country' => $this->country,
            'error' => $this->error,
            'hasresults' => false,
            'noresults' => false,
        ];
        if ($this->result === null || $this->error !== null) {
            return $data;
        }
        $results = [];
        foreach ($this->result['results'] ?? [] as $hit) {
            $url = self::safe_url((string) ($hit['url'] ?? ''));
            $results[] = [
                'title' => (string) ($hit['title'] ?? ''),
                'url' => $url,
                'hasurl' => $url !== '',
                'sitename' => (string) ($hit['site']['name'] ?? ''),
                'siteurl' => self::safe_url((string) ($hit['site']['url'] ?? '')),
                'country' => (string) ($hit['country'] ?? ''),
                'language' => (string) ($hit['language'] ?? ''),
                'category' => (string) ($hit['category'] ?? ''),
                'tags' => array_values(array_map('strval', (array) ($hit['tags'] ?? []))),
                'snippethtml' => self::safe_snippet((string) ($hit['snippet_html'] ?? '')),
                'openenrolment' => !empty($hit['open_enrolment']),
                'startdate' => isset($hit['start_date']) ? get_string('starts', 'local_coursemesh',
                    userdate((int) $hit['start_date'], get_string('strftimedate', 'langconfig'))) : '',
            ];
        }
        $total = (int) ($this->result['total'] ?? 0);
        $pagesize = max(1, (int) ($this->result['page_size'] ?? 10));
        $data['hasresults'] = $results !== [];
        $data['noresults'] = $results === [];
        $data['results'] = $results;
        $data['summary'] = get_string('resultsummary', 'local_coursemesh', (object) [
            'total' => $total, 'sites' => (int) ($this->result['sites'] ?? 0), 'ms' => (int) ($this->result['took_ms'] ?? 0)]);
        $data['partial'] = !empty($this->result['partial']);
        $missing = implode(', ', array_map('strval', (array) ($this->result['missing_terms'] ?? [])));
        $data['missingterms'] = $missing === '' ? '' : get_string('missingterms', 'local_coursemesh', $missing);
        $data['facets'] = $this->facets();
        $data['pages'] = $this->pages($total, $pagesize);
        $data['haspages'] = count($data['pages']) > 1;
        if ($this->homecountry !== '' && $this->country === '') {
            $data['homecountrylink'] = $this->link(['country' => $this->homecountry, 'page' => 1]);
            $data['homecountrytext'] = get_string('onlymycountry', 'local_coursemesh', $this->homecountry);
        }
        return $data;
    }

    /**
     * Facet groups; language and country values are links that filter, others are counts.
     *
     * @return array[]
     */
    private function facets(): array {
        $groups = [];
        foreach (['language' => 'lang', 'country' => 'country', 'site' => null, 'category' => null] as $name => $param) {
            $values = [];
            foreach ($this->result['facets'][$name] ?? [] as $facet) {
                $value = (string) ($facet['value'] ?? '');
                $active = $param !== null && $this->{$param} === $value;
                $values[] = [
                    'value' => $value,
                    'count' => (int) ($facet['count'] ?? 0),
                    'active' => $active,
                    'link' => $param === null ? '' : $this->link([$param => $active ? '' : $value, 'page' => 1]),
                    'haslink' => $param !== null,
                ];
            }
            if ($values) {
                $groups[] = ['name' => get_string('facet_' . $name, 'local_coursemesh'), 'values' => $values];
            }
        }
        return $groups;
    }

    /**
     * Page links around the current page, with previous and next.
     *
     * @param int $total
     * @param int $pagesize
     * @return array[] Each: label, link, current.
     */
    public function pages(int $total, int $pagesize): array {
        $last = max(1, (int) ceil($total / max(1, $pagesize)));
        $current = min(max(1, $this->page), $last);
        if ($last === 1) {
            return [];
        }
        $pages = [];
        if ($current > 1) {
            $pages[] = ['label' => get_string('previous'), 'link' => $this->link(['page' => $current - 1]), 'current' => false];
        }
        for ($p = max(1, $current - self::PAGE_WINDOW); $p <= min($last, $current + self::PAGE_WINDOW); $p++) {
            $pages[] = ['label' => (string) $p, 'link' => $this->link(['page' => $p]), 'current' => $p === $current];
        }
        if ($current < $last) {
            $pages[] = ['label' => get_string('next'), 'link' => $this->link(['page' => $current + 1]), 'current' => false];
        }
        return $pages;
    }

    /**
     * Keeps only <mark> and </mark> from the service's snippet HTML: raw tags are dropped,
     * escaped text is decoded once and escaped again, so no tag, attribute or script survives.
     *
     * @param string $html
     * @return string Safe HTML.
     */
    public static function safe_snippet(string $html): string {
        $parts = preg_split('~(</?mark>)~i', $html, -1, PREG_SPLIT_DELIM_CAPTURE) ?: [];
        $out = '';
        $open = false;
        foreach ($parts as $part) {
            $lower = strtolower($part);
            if ($lower === '<mark>' && !$open) {
                $out .= '<mark>';
                $open = true;
            } else if ($lower === '</mark>' && $open) {
                $out .= '</mark>';
                $open = false;
            } else if ($lower !== '<mark>' && $lower !== '</mark>') {
                $text = html_entity_decode(strip_tags($part), ENT_QUOTES | ENT_HTML5, 'UTF-8');
                $out .= htmlspecialchars($text, ENT_QUOTES | ENT_HTML5, 'UTF-8');
            }
        }
        return $open ? $out . '</mark>' : $out;
    }

    /**
     * The URL when it is an absolute http(s) URL, else '' (no javascript: or data: links).
     *
     * @param string $url
     * @return string
     */
    public static function safe_url(string $url): string {
        return preg_match('~^https?://[^\s/?#]+[^\s]*$~i', $url) ? $url : '';
    }

    /**
     * The base URL's own query parameters, to repeat as hidden form fields.
     *
     * @return array[] Each: name, value.
     */
    private function hidden_params(): array {
        parse_str((string) parse_url($this->baseurl, PHP_URL_QUERY), $params);
        $hidden = [];
        foreach ($params as $name => $value) {
            if (is_string($value)) {
                $hidden[] = ['name' => $name, 'value' => $value];
            }
        }
        return $hidden;
    }

    /**
     * A link to this page with the current search and the given changes.
     *
     * @param array $changes
     * @return string
     */
    private function link(array $changes): string {
        parse_str((string) parse_url($this->baseurl, PHP_URL_QUERY), $params);
        $params = array_merge($params, ['q' => $this->query, 'lang' => $this->lang, 'country' => $this->country,
            'page' => $this->page], $changes);
        $params = array_filter($params, static fn($v) => $v !== '' && $v !== null);
        $base = strtok($this->baseurl, '?');
        return $base . '?' . http_build_query($params, '', '&', PHP_QUERY_RFC3986);
    }
}
