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

use local_coursemesh\http\transport;
use local_coursemesh\http\transport_exception;

/**
 * Client of a CourseMesh node's JSON API (/api/v1): pushes and deletes this site's course
 * documents, and runs federated searches.
 *
 * Blocking: every call waits for the service, at most the configured timeout per HTTP request.
 * Not tied to Moodle: the network goes through the injected {@see transport}.
 * Every failure is an {@see api_exception}; nothing else escapes.
 *
 * @package    local_coursemesh
 * @copyright  2026 CourseMesh contributors
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
final class api_client {
    /** @var int Most documents in one POST /api/v1/courses request (the API's own limit). */
    public const MAX_BATCH = 500;
    /** @var int Default seconds per request. */
    public const DEFAULT_TIMEOUT = 15;

    /** @var string Service base URL without trailing slash. */
    private string $baseurl;

    /**
     * @param string $serviceurl Base URL of the node, e.g. https://mesh.example.edu/coursemesh.
     * @param string $token Bearer token for pushes and deletes ('' allows searching only).
     * @param transport $transport How requests reach the network.
     * @param int $timeout Seconds allowed per HTTP request.
     */
    public function __construct(
        string $serviceurl,
        private readonly string $token,
        private readonly transport $transport,
        private readonly int $timeout = self::DEFAULT_TIMEOUT,
    ) {
        $this->baseurl = rtrim(trim($serviceurl), '/');
    }

    /**
     * Upserts course documents, MAX_BATCH per request. A batch the service rejects as too large
     * (413) is split in halves and sent again.
     *
     * @param array[] $documents Course documents (see Docs/course-document.schema.json).
     * @return array{accepted:int, added:int, updated:int, unchanged:int} Totals over all batches.
     * @throws api_exception On the first batch that fails; earlier batches stay stored.
     */
    public function push_courses(array $documents): array {
        $totals = ['accepted' => 0, 'added' => 0, 'updated' => 0, 'unchanged' => 0];
        foreach (array_chunk(array_values($documents), self::MAX_BATCH) as $batch) {
            $this->push_batch($batch, $totals);
        }
        return $totals;
    }

    /**
     * Removes one course of this site from the federation.
     *
     * @param int $courseid Moodle course id.
     * @return bool True when deleted, false when the service did not know the course.
     * @throws api_exception On any other failure.
     */
    public function delete_course(int $courseid): bool {
        $this->require_token();
        try {
            $this->call('DELETE', '/api/v1/courses/' . $courseid, null, true);
        } catch (api_exception $e) {
            if ($e->status === 404 && $e->errorcode === 'unknown_course') {
                return false;
            }
            throw $e;
        }
        return true;
    }

    /**
     * Runs a federated search.
     *
     * @param string $query Keywords as typed.
     * @param int $page 1-based result page.
     * @param string $lang Language filter ('' for any).
     * @param string $country Country filter, ISO 3166 alpha-2 ('' for any).
     * @return array The decoded search response (query, total, page, page_size, took_ms,
     *     nodes_asked, sites, partial, missing_terms, results, facets).
     * @throws api_exception When the query is refused (400) or the service fails.
     */
    public function search(string $query, int $page = 1, string $lang = '', string $country = ''): array {
        $params = ['q' => $query, 'page' => max(1, $page)];
        if ($lang !== '') {
            $params['lang'] = $lang;
        }
        if ($country !== '') {
            $params['country'] = $country;
        }
        $result = $this->call('GET', '/api/v1/search?' . http_build_query($params, '', '&', PHP_QUERY_RFC3986),
            null, false);
        foreach (['total', 'results'] as $field) {
            if (!array_key_exists($field, $result)) {
                throw new api_exception(200, api_exception::BAD_RESPONSE, "The search answer has no '$field' field.");
            }
        }
        return $result;
    }

    /**
     * Sends one batch, splitting it on 413, adding the counts into $totals.
     *
     * @param array[] $batch
     * @param array $totals
     */
    private function push_batch(array $batch, array &$totals): void {
        $this->require_token();
        $body = json_encode(['courses' => $batch],
            JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE | JSON_THROW_ON_ERROR);
        try {
            $result = $this->call('POST', '/api/v1/courses', $body, true);
        } catch (api_exception $e) {
            if ($e->status === 413 && count($batch) > 1) {
                $half = intdiv(count($batch), 2);
                $this->push_batch(array_slice($batch, 0, $half), $totals);
                $this->push_batch(array_slice($batch, $half), $totals);
                return;
            }
            throw $e;
        }
        foreach ($totals as $key => $value) {
            if (!isset($result[$key]) || !is_int($result[$key])) {
                throw new api_exception(200, api_exception::BAD_RESPONSE, "The push answer has no integer '$key' field.");
            }
            $totals[$key] = $value + $result[$key];
        }
    }

    /**
     * One request: sends, decodes JSON, turns non-2xx answers into api_exception.
     *
     * @param string $method
     * @param string $path Path and query below the base URL.
     * @param string|null $body JSON body or null.
     * @param bool $authenticated Whether to send the bearer token.
     * @return array Decoded JSON object.
     * @throws api_exception
     */
    private function call(string $method, string $path, ?string $body, bool $authenticated): array {
        if (!preg_match('~^https?://[^/\s?#]+~i', $this->baseurl)) {
            throw new api_exception(0, api_exception::NOT_CONFIGURED,
                'The CourseMesh service URL is not set or is not an http(s) URL; set it in the plugin settings.');
        }
        $headers = ['Accept: application/json'];
        if ($body !== null) {
            $headers[] = 'Content-Type: application/json';
        }
        if ($authenticated) {
            $headers[] = 'Authorization: Bearer ' . $this->token;
        }
        try {
            $response = $this->transport->send($method, $this->baseurl . $path, $headers, $body, $this->timeout);
        } catch (transport_exception $e) {
            throw new api_exception(0, api_exception::UNREACHABLE,
                'The CourseMesh service could not be reached (' . $e->getMessage() . '). '
                . 'Check the service URL and that the service is running.', $e);
        }
        $decoded = json_decode($response->body, true);
        if ($response->status >= 200 && $response->status < 300) {
            if (!is_array($decoded)) {
                throw new api_exception($response->status, api_exception::BAD_RESPONSE,
                    "The service answered $method $path with HTTP {$response->status} but not with a JSON object.");
            }
            return $decoded;
        }
        $code = 'http_' . $response->status;
        $message = "The service answered $method $path with HTTP {$response->status}.";
        if (is_array($decoded) && isset($decoded['error']) && is_array($decoded['error'])) {
            $code = is_string($decoded['error']['code'] ?? null) ? $decoded['error']['code'] : $code;
            $message = is_string($decoded['error']['message'] ?? null) ? $decoded['error']['message'] : $message;
        }
        if ($response->status === 401) {
            $message .= ' Check the API token in the plugin settings.';
        }
        throw new api_exception($response->status, $code, $message);
    }

    /**
     * Refuses writes without a token before anything is sent.
     *
     * @throws api_exception
     */
    private function require_token(): void {
        if (trim($this->token) === '') {
            throw new api_exception(0, api_exception::NOT_CONFIGURED,
                'No CourseMesh API token is set; set it in the plugin settings.');
        }
    }
}
