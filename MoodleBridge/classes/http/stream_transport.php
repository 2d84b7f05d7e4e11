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

namespace local_coursemesh\http;

/**
 * HTTP over PHP's stream wrapper (allow_url_fopen), for running the plugin's classes outside
 * Moodle: tests and command-line checks. Moodle itself uses {@see curl_transport}.
 *
 * Blocking; one connection per request (HTTP/1.0 semantics, "Connection: close"); redirects are
 * not followed, so a POST is never silently turned into a GET.
 *
 * @package    local_coursemesh
 * @copyright  2026 CourseMesh contributors
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
final class stream_transport implements transport {
    /**
     * {@inheritDoc}
     */
    public function send(string $method, string $url, array $headers, ?string $body, int $timeout): response {
        if (!preg_match('~^https?://~i', $url)) {
            throw new transport_exception("Only http and https URLs can be requested, not '$url'.");
        }
        $headers[] = 'Connection: close';
        if ($body !== null) {
            $headers[] = 'Content-Length: ' . strlen($body);
        }
        $http = [
            'method' => $method,
            'header' => implode("\r\n", $headers),
            'timeout' => (float) max(1, $timeout),
            'ignore_errors' => true,
            'follow_location' => 0,
            'max_redirects' => 1,
        ];
        if ($body !== null) {
            $http['content'] = $body;
        }
        $context = stream_context_create(['http' => $http]);

        $error = null;
        set_error_handler(static function (int $errno, string $message) use (&$error): bool {
            $error = $message;
            return true;
        });
        try {
            $stream = fopen($url, 'rb', false, $context);
            $payload = $stream === false ? false : stream_get_contents($stream);
            $meta = $stream === false ? [] : stream_get_meta_data($stream);
            if ($stream !== false) {
                fclose($stream);
            }
        } finally {
            restore_error_handler();
        }
        if ($stream === false || $payload === false) {
            throw new transport_exception("$method $url failed: " . ($error ?? 'no response'));
        }
        if (!empty($meta['timed_out'])) {
            throw new transport_exception("$method $url timed out after {$timeout} s.");
        }
        return new response(self::status_of($meta['wrapper_data'] ?? []), $payload);
    }

    /**
     * The status code of the last status line among the raw response headers.
     *
     * @param string[] $lines Raw header lines as the HTTP wrapper reports them.
     * @return int
     * @throws transport_exception When no status line is present.
     */
    private static function status_of(array $lines): int {
        $status = 0;
        foreach ($lines as $line) {
            if (is_string($line) && preg_match('~^HTTP/\d(?:\.\d)?\s+(\d{3})~', $line, $m)) {
                $status = (int) $m[1];
            }
        }
        if ($status === 0) {
            throw new transport_exception('The server answered without an HTTP status line.');
        }
        return $status;
    }
}
