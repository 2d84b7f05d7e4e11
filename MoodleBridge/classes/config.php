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
 * The plugin's settings (get_config('local_coursemesh')) and the objects built from them.
 * Moodle-only.
 *
 * @package    local_coursemesh
 * @copyright  2026 CourseMesh contributors
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
final class config {
    /**
     * Whether pushes can happen at all: a service URL and a token are set.
     *
     * @return bool
     */
    public static function is_configured(): bool {
        return self::service_url() !== '' && trim((string) get_config('local_coursemesh', 'apitoken')) !== '';
    }

    /**
     * The service base URL, '' when unset.
     *
     * @return string
     */
    public static function service_url(): string {
        return trim((string) get_config('local_coursemesh', 'serviceurl'));
    }

    /**
     * The country configured for this site (ISO 3166 alpha-2), defaulting to Moodle's default country.
     *
     * @return string
     */
    public static function country(): string {
        global $CFG;
        $country = (string) get_config('local_coursemesh', 'country');
        return strtoupper($country !== '' ? $country : (string) ($CFG->country ?? ''));
    }

    /**
     * An API client using Moodle's \curl.
     *
     * @return api_client
     */
    public static function client(): api_client {
        return new api_client(self::service_url(), (string) get_config('local_coursemesh', 'apitoken'),
            new http\curl_transport(), (int) (get_config('local_coursemesh', 'timeout') ?: api_client::DEFAULT_TIMEOUT));
    }

    /**
     * The mapper for this site's wwwroot, default language and share settings.
     *
     * @return course_mapper
     */
    public static function mapper(): course_mapper {
        global $CFG;
        $mode = get_config('local_coursemesh', 'sharemode') === course_mapper::SHARE_CATEGORIES
            ? course_mapper::SHARE_CATEGORIES : course_mapper::SHARE_ALL;
        $chosen = array_filter(array_map('intval', explode(',', (string) get_config('local_coursemesh', 'categories'))));
        return new course_mapper($CFG->wwwroot, (string) ($CFG->lang ?? 'en'), $mode, $chosen);
    }
}
