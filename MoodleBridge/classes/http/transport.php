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
 * The seam between the API client and the network: one blocking HTTP request.
 *
 * Inside Moodle the implementation is {@see curl_transport} (Moodle's \curl, which honours the
 * site's proxy and cURL security settings); outside Moodle, e.g. in tests,
 * {@see stream_transport} uses PHP's HTTP stream wrapper.
 *
 * @package    local_coursemesh
 * @copyright  2026 CourseMesh contributors
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
interface transport {
    /**
     * Sends one request and waits for the whole response, at most $timeout seconds.
     *
     * Any HTTP status, including 4xx and 5xx, is a response, not an exception.
     *
     * @param string $method GET, POST or DELETE.
     * @param string $url Absolute http(s) URL.
     * @param string[] $headers Header lines such as "Accept: application/json".
     * @param string|null $body Request body, or null for none.
     * @param int $timeout Seconds for the whole exchange (connect included).
     * @return response
     * @throws transport_exception When no HTTP response was received.
     */
    public function send(string $method, string $url, array $headers, ?string $body, int $timeout): response;
}
