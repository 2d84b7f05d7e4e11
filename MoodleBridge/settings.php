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

/**
 * Admin settings of local_coursemesh: service, token, what to share, country.
 *
 * @package    local_coursemesh
 * @copyright  2026 CourseMesh contributors
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

if ($hassiteconfig) {
    $settings = new admin_settingpage('local_coursemesh', get_string('pluginname', 'local_coursemesh'));
    $ADMIN->add('localplugins', $settings);

    if ($ADMIN->fulltree) {
        $settings->add(new admin_setting_configtext('local_coursemesh/serviceurl',
            get_string('serviceurl', 'local_coursemesh'), get_string('serviceurl_desc', 'local_coursemesh'),
            '', PARAM_URL, 60));
        $settings->add(new admin_setting_configpasswordunmask('local_coursemesh/apitoken',
            get_string('apitoken', 'local_coursemesh'), get_string('apitoken_desc', 'local_coursemesh'), ''));

        $mode = new admin_setting_configselect('local_coursemesh/sharemode',
            get_string('sharemode', 'local_coursemesh'), get_string('sharemode_desc', 'local_coursemesh'),
            \local_coursemesh\course_mapper::SHARE_ALL, [
                \local_coursemesh\course_mapper::SHARE_ALL => get_string('sharemode_all', 'local_coursemesh'),
                \local_coursemesh\course_mapper::SHARE_CATEGORIES => get_string('sharemode_categories', 'local_coursemesh'),
            ]);
        $mode->set_updatedcallback('local_coursemesh_share_settings_updated');
        $settings->add($mode);

        $categories = new admin_setting_configmultiselect('local_coursemesh/categories',
            get_string('categories', 'local_coursemesh'), get_string('categories_desc', 'local_coursemesh'),
            [], core_course_category::make_categories_list());
        $categories->set_updatedcallback('local_coursemesh_share_settings_updated');
        $settings->add($categories);

        $countries = ['' => get_string('selectacountry')] + get_string_manager()->get_list_of_countries();
        $settings->add(new admin_setting_configselect('local_coursemesh/country',
            get_string('country', 'local_coursemesh'), get_string('country_desc', 'local_coursemesh'),
            $CFG->country ?? '', $countries));

        $settings->add(new admin_setting_configtext('local_coursemesh/timeout',
            get_string('timeout', 'local_coursemesh'), get_string('timeout_desc', 'local_coursemesh'),
            \local_coursemesh\api_client::DEFAULT_TIMEOUT, PARAM_INT, 4));
    }
}
