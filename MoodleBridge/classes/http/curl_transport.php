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
 * HTTP through Moodle's \curl class, so the site's proxy settings and cURL security rules
 * (blocked hosts, allowed ports) apply to every request the plugin makes.
 *
 * Blocking. Only usable inside Moodle (needs lib/filelib.php).
 *
 * @package    local_coursemesh
 * @copyright  2026 CourseMesh contributors
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
final class curl_transport implements transport {
    /** @var int Seconds allowed for the TCP/TLS connect, at most the whole timeout. */
    public const CONNECT_TIMEOUT = 5;

    /**
     * {@inheritDoc}
     */
    public function send(string $method, string $url, array $headers, ?string $body, int $timeout): response {
        global $CFG;
        require_once($CFG->libdir . '/filelib.php');

        $curl = new \curl();
        $curl->setHeader($headers);
        $options = [
            'CURLOPT_TIMEOUT' => max(1, $timeout),
            'CURLOPT_CONNECTTIMEOUT' => max(1, min(self::CONNECT_TIMEOUT, $timeout)),
            'CURLOPT_FOLLOWLOCATION' => false,
        ];
        switch ($method) {
            case 'GET':
                $payload = $curl->get($url, [], $options);
                break;
            case 'POST':
                $payload = $curl->post($url, $body ?? '', $options);
                break;
            case 'DELETE':
                $payload = $curl->delete($url, [], $options);
                break;
            default:
                throw new transport_exception("Unsupported HTTP method $method.");
        }

        $info = $curl->get_info();
        $status = (int) ($info['http_code'] ?? 0);
        if ($curl->get_errno() || $status === 0) {
            // A URL blocked by Moodle's cURL security settings sets $curl->error with errno 0.
            $reason = $curl->error ?: 'no HTTP response';
            throw new transport_exception("$method $url failed: $reason");
        }
        return new response($status, is_string($payload) ? $payload : '');
    }
}
