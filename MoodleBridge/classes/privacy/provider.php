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

namespace local_coursemesh\privacy;

use core_privacy\local\metadata\collection;
use core_privacy\local\request\approved_contextlist;
use core_privacy\local\request\approved_userlist;
use core_privacy\local\request\contextlist;
use core_privacy\local\request\userlist;

/**
 * Privacy provider. The plugin sends course metadata (never personal data) to the configured
 * CourseMesh service, declared here as an external location, and sends the search words a user
 * types (without any user identity). Its own table holds course ids and hashes only, so there
 * is nothing to export or delete for any user.
 *
 * @package    local_coursemesh
 * @copyright  2026 CourseMesh contributors
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class provider implements
    \core_privacy\local\metadata\provider,
    \core_privacy\local\request\plugin\provider,
    \core_privacy\local\request\core_userlist_provider {

    /**
     * Describes what leaves the site.
     *
     * @param collection $collection
     * @return collection
     */
    public static function get_metadata(collection $collection): collection {
        $collection->add_external_location_link('coursemesh_courses', [
            'fullname' => 'privacy:metadata:coursemesh_courses:fullname',
            'summary' => 'privacy:metadata:coursemesh_courses:summary',
            'tags' => 'privacy:metadata:coursemesh_courses:tags',
            'modules' => 'privacy:metadata:coursemesh_courses:modules',
            'enrolledcount' => 'privacy:metadata:coursemesh_courses:enrolledcount',
        ], 'privacy:metadata:coursemesh_courses');
        $collection->add_external_location_link('coursemesh_search', [
            'query' => 'privacy:metadata:coursemesh_search:query',
        ], 'privacy:metadata:coursemesh_search');
        return $collection;
    }

    /**
     * No user has data held by this plugin.
     *
     * @param int $userid
     * @return contextlist Always empty.
     */
    public static function get_contexts_for_userid(int $userid): contextlist {
        return new contextlist();
    }

    /**
     * No user has data held by this plugin.
     *
     * @param userlist $userlist Left empty.
     */
    public static function get_users_in_context(userlist $userlist) {
    }

    /**
     * Nothing to export: no personal data is stored or sent.
     *
     * @param approved_contextlist $contextlist
     */
    public static function export_user_data(approved_contextlist $contextlist) {
    }

    /**
     * Nothing to delete.
     *
     * @param \context $context
     */
    public static function delete_data_for_all_users_in_context(\context $context) {
    }

    /**
     * Nothing to delete.
     *
     * @param approved_contextlist $contextlist
     */
    public static function delete_data_for_user(approved_contextlist $contextlist) {
    }

    /**
     * Nothing to delete.
     *
     * @param approved_userlist $userlist
     */
    public static function delete_data_for_users(approved_userlist $userlist) {
    }
}
